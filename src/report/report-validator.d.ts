// The report validator build.mjs generates from report.schema.json with Ajv's standalone mode
// (Ajv itself would need `new Function`, which the extension's CSP forbids).
declare module "virtual:report-validator" {
  export interface SchemaError {
    instancePath: string;
    keyword: string;
    message?: string;
    params: Record<string, unknown>;
  }
  const validate: ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
  export default validate;
}
