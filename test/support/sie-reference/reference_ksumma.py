"""
Runs an independent SIE implementation -- Open End's importer (github.com/jacob22/accounting,
Apache-2.0, accounting/sie_import.py + crc.py), fetched beside the tests, never copied into
sandbank -- and prints, per file, the CRC-32 its checksumming parser computes over the
records between the two #KSUMMA lines, and whether that matches the file's own #KSUMMA.

usage: python3 reference_ksumma.py <dir holding crc.py and sie_import.py> FILE...
The importer's database side (pytransact, blm) is stubbed: only its parser runs.
"""
import importlib
import json
import sys
import types

source_dir = sys.argv[1]
for name in ['pytransact', 'pytransact.blm', 'pytransact.commit', 'blm', 'blm.fundamental', 'blm.accounting']:
    sys.modules[name] = types.ModuleType(name)
sys.modules['pytransact'].blm = sys.modules['pytransact.blm']
sys.modules['pytransact'].commit = sys.modules['pytransact.commit']
sys.modules['blm'].fundamental = sys.modules['blm.fundamental']
sys.modules['blm'].accounting = sys.modules['blm.accounting']
package = types.ModuleType('accounting')
package.__path__ = [source_dir]
sys.modules['accounting'] = package
package.db = sys.modules['accounting.db'] = types.ModuleType('accounting.db')
sie_import = importlib.import_module('accounting.sie_import')
crc_module = importlib.import_module('accounting.crc')

results = {}
for path in sys.argv[2:]:
    with open(path, 'rb') as stream:
        lines = stream.readlines()
    if lines[-1][-1:] != b'\n':
        lines[-1] = lines[-1] + b'\n'
    parser = object.__new__(sie_import.CRCCalculatingParser)
    parser.crc = crc_module.Crc()
    for line in lines[2:-1]:
        parser.parse(line)
    computed = parser.crc.finalize()
    try:
        sie_import.CRCCalculatingParser(lines)
        verdict = True
    except ValueError:
        verdict = False
    results[path] = {'computed': computed, 'accepted': verdict}
print(json.dumps(results))
