// The core's public surface: the language front end and (added by the model helper)
// the runner. Keep this a re-export file.
export * from './lang/index';
export * from './run/index';
