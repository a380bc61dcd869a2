/** The tests' system tools: the same helper `npm start` uses (scripts/lib/debianTools.ts). */
export * from '../../scripts/lib/debianTools';
