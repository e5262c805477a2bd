/** The part of `sepa-xml` (which ships no types) the interop tests use. */
declare module 'sepa-xml' {
  export default class SepaXML {
    constructor(format?: string);
    setHeaderInfo(info: { messageId: string; initiator: string }): void;
    setPaymentInfo(info: { id: string; method: string; senderName: string; senderIBAN: string; bic?: string; batchBooking?: boolean; when?: Date }): void;
    addTransaction(tx: { id: string; amount: number; name: string; iban: string; bic?: string; description?: string }): void;
    compile(callback: (error: unknown, out: string) => void): void;
  }
}
