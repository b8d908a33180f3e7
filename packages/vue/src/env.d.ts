// Bundlers replace `process.env.NODE_ENV`; declaring it here keeps @types/node out of consumers' types.
declare const process: { env: { NODE_ENV?: string } };
