// The built-in serverless endpoint's own state: the pool it serves (by name, its settings read from
// the config each step) and the failures a scenario still has it answer with.

export interface EndpointFaults {
  /** How many `/start` requests still fail, and how. */
  failuresLeft: number;
  failureStatus: number;
}

export interface EndpointState {
  pool: string;
  faults: EndpointFaults;
}

/** The faults are copied: the endpoint counts them down in its own state. */
export function initialEndpointState(pool: string, faults: EndpointFaults = { failuresLeft: 0, failureStatus: 500 }): EndpointState {
  return { pool, faults: { ...faults } };
}
