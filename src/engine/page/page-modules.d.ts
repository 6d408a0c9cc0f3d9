// What build.mjs generates for the page recorder: its bundled source (a function expression taking
// the recorder's key), and the validator compiled from page-batch.schema.json with Ajv's standalone mode.
declare module "virtual:page-recorder" {
  const source: string;
  export default source;
}

declare module "virtual:page-batch-validator" {
  const validate: ((data: unknown) => boolean) & {
    errors?: { instancePath: string; message?: string }[] | null;
  };
  export default validate;
}

/** The web-page probe's bundled source: a function expression taking the key it leaves its state under. */
declare module "virtual:page-probe" {
  const source: string;
  export default source;
}
