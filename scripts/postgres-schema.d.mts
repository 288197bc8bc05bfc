// Types of postgres-schema.mjs, for the test that keeps the derived schema in step.
export declare const POSTGRES_SCHEMA: string;
export declare function toPostgresSchema(sqliteSchema: string): string;
export declare function writePostgresSchema(root: string): string;
