// What build.mjs generates for reading dumps: the validator compiled from internals-dump.schema.json.
declare module "virtual:internals-dump-validator" {
  const validate: ((data: unknown) => boolean) & {
    errors?: { instancePath: string; message?: string }[] | null;
  };
  export default validate;
}
