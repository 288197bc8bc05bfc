// The part of node-postgres ("pg", installed with @prisma/adapter-pg) that the store uses. The
// package ships no types of its own and @types/pg is not a dependency; this covers exactly what
// pg-connection.ts, migrate-postgres.ts and pg-event-writer.ts call.
declare module "pg" {
  import type { EventEmitter } from "node:events";

  export interface ClientConfig {
    connectionString?: string;
    connectionTimeoutMillis?: number;
    application_name?: string;
  }

  export interface PoolConfig extends ClientConfig {
    max?: number;
    idleTimeoutMillis?: number;
    allowExitOnIdle?: boolean;
  }

  export interface QueryResult<Row = Record<string, unknown>> {
    rows: Row[];
    rowCount: number | null;
  }

  export interface Queryable {
    query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
  }

  export interface DatabaseError extends Error {
    code?: string;
  }

  export class Client extends EventEmitter implements Queryable {
    constructor(config?: ClientConfig);
    connect(): Promise<void>;
    query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
    end(): Promise<void>;
  }

  export interface PoolClient extends Queryable {
    release(err?: Error | boolean): void;
  }

  export class Pool extends EventEmitter implements Queryable {
    constructor(config?: PoolConfig);
    connect(): Promise<PoolClient>;
    query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
    end(): Promise<void>;
  }

  const pg: { Client: typeof Client; Pool: typeof Pool };
  export default pg;
}
