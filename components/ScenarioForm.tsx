"use client";

import { useState, type FormEvent } from "react";

export interface ScenarioOption {
  name: string;
  description: string;
}

export interface ScenarioFormProps {
  scenarios: ScenarioOption[];
  pending: boolean;
  /** Error message from the last attempt, if it failed. */
  error: string | null;
  onStart: (input: { scenario: string; seed?: number }) => void;
}

/** Picks a built-in scenario and an optional seed; the caller starts the run. */
export function ScenarioForm({ scenarios, pending, error, onStart }: ScenarioFormProps) {
  const [scenario, setScenario] = useState(scenarios[0]?.name ?? "");
  const [seed, setSeed] = useState("");
  const selected = scenarios.find((option) => option.name === scenario);
  const seedValid = seed.trim() === "" || /^\d{1,9}$/.test(seed.trim());

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!scenario || !seedValid) return;
    const trimmed = seed.trim();
    onStart(trimmed === "" ? { scenario } : { scenario, seed: Number(trimmed) });
  }

  return (
    <form className="scenario-form" onSubmit={submit} aria-label="Start a scenario">
      <div className="field">
        <label htmlFor="scenario-select">Scenario</label>
        <select id="scenario-select" value={scenario} onChange={(event) => setScenario(event.target.value)}>
          {scenarios.map((option) => (
            <option key={option.name} value={option.name}>
              {option.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="seed-input">Seed (optional)</label>
        <input
          id="seed-input"
          inputMode="numeric"
          placeholder="random"
          value={seed}
          onChange={(event) => setSeed(event.target.value)}
          aria-invalid={!seedValid}
          aria-describedby="seed-help"
        />
        <small id="seed-help" className={seedValid ? "help" : "help help-error"}>
          {seedValid ? "Same scenario and seed give the same trace." : "A seed is a whole number from 0 to 999999999."}
        </small>
      </div>
      <button type="submit" disabled={pending || !scenario || !seedValid}>
        {pending ? "Running…" : "Run scenario"}
      </button>
      {selected && <p className="scenario-description">{selected.description}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
