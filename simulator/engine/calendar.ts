/** The Swedish bank-day calendar lives in formats/ (pure, shared with the client). */
export * from '../../formats/calendar.ts';
