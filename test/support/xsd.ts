/**
 * Validates documents against the official ISO 20022 XSDs with libxml2 (compiled to wasm).
 * Tests only: the bank's hot path uses the compiled schema tables instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { PROJECT_XSD_DIR } from '../../formats/xml/generate-schemas.ts';
import { XmlDocument, XsdValidator, XmlValidateError } from 'libxml2-wasm';
import { sharedPath } from './shared.ts';

const validators = new Map<string, XsdValidator>();

function validatorFor(message: string): XsdValidator {
  let validator = validators.get(message);
  if (!validator) {
    // The few official XSDs ../shared lacks are kept in the project (formats/xml/xsd/).
    const own = `${PROJECT_XSD_DIR}${message}.xsd`;
    const xsd = XmlDocument.fromBuffer(readFileSync(existsSync(own) ? own : sharedPath(`iso20022-xsd/${message}.xsd`)));
    validator = XsdValidator.fromDoc(xsd);
    validators.set(message, validator);
  }
  return validator;
}

/** Returns the XSD errors (empty when valid). Malformed XML is reported as one error. */
export function xsdErrors(message: string, xml: string): string[] {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (error) {
    return [`not well-formed: ${error instanceof Error ? error.message : String(error)}`];
  }
  try {
    validatorFor(message).validate(doc);
    return [];
  } catch (error) {
    if (error instanceof XmlValidateError) return error.details.map((d) => `${d.line}: ${d.message.trim()}`);
    throw error;
  } finally {
    doc.dispose();
  }
}
