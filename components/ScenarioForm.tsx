"use client";

import { useId, useState, type ChangeEvent, type FormEvent } from "react";

export interface ScenarioOption {
  name: string;
  description: string;
}

export type ScenarioSpeed = "instant" | "realtime" | number;

export interface ScenarioStart {
  /** A built-in scenario's name, or the scenario object read from an uploaded file. */
  scenario: string | Record<string, unknown>;
  seed?: number;
  speed: ScenarioSpeed;
}

export interface ScenarioFormProps {
  scenarios: ScenarioOption[];
  pending: boolean;
  /** Error message from the last attempt, if it failed. */
  error: string | null;
  onStart: (input: ScenarioStart) => void;
}

type Origin = "builtin" | "file";
type SpeedChoice = "instant" | "realtime" | "faster";
type UploadedScenario = { fileName: string; scenario: Record<string, unknown> } | { fileName: string; error: string };

const MAX_FACTOR = 10_000;

async function readScenarioFile(file: File): Promise<UploadedScenario> {
  let value: unknown;
  try {
    value = JSON.parse(await file.text());
  } catch (error) {
    return { fileName: file.name, error: `${file.name} is not valid JSON (${error instanceof Error ? error.message : "unreadable"}).` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { fileName: file.name, error: `${file.name} does not hold a scenario object.` };
  }
  return { fileName: file.name, scenario: value as Record<string, unknown> };
}

/** A built-in or uploaded scenario, a seed and a speed; the caller starts the run. */
export function ScenarioForm({ scenarios, pending, error, onStart }: ScenarioFormProps) {
  const ids = useId();
  const [origin, setOrigin] = useState<Origin>("builtin");
  const [scenario, setScenario] = useState(scenarios[0]?.name ?? "");
  const [upload, setUpload] = useState<UploadedScenario | null>(null);
  const [seed, setSeed] = useState("");
  const [speed, setSpeed] = useState<SpeedChoice>("instant");
  const [factor, setFactor] = useState("10");

  const selected = scenarios.find((option) => option.name === scenario);
  const seedValid = seed.trim() === "" || /^\d{1,9}$/.test(seed.trim());
  const factorNumber = Number(factor);
  const factorValid = speed !== "faster" || (factor.trim() !== "" && factorNumber > 0 && factorNumber <= MAX_FACTOR);
  const scenarioReady = origin === "builtin" ? scenario !== "" : upload !== null && "scenario" in upload;
  const canStart = !pending && scenarioReady && seedValid && factorValid;

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setUpload(file ? await readScenarioFile(file) : null);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!canStart) return;
    const chosen = origin === "builtin" ? scenario : upload !== null && "scenario" in upload ? upload.scenario : null;
    if (chosen === null) return;
    const pace: ScenarioSpeed = speed === "faster" ? factorNumber : speed;
    const trimmed = seed.trim();
    onStart(trimmed === "" ? { scenario: chosen, speed: pace } : { scenario: chosen, seed: Number(trimmed), speed: pace });
  }

  return (
    <form className="scenario-form" onSubmit={submit} aria-label="Start a scenario">
      <fieldset className="field-group">
        <legend>Source</legend>
        <label className="choice">
          <input type="radio" name={`${ids}-origin`} checked={origin === "builtin"} onChange={() => setOrigin("builtin")} />
          Built-in
        </label>
        <label className="choice">
          <input type="radio" name={`${ids}-origin`} checked={origin === "file"} onChange={() => setOrigin("file")} />
          Upload a JSON file
        </label>
      </fieldset>

      {origin === "builtin" ? (
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
      ) : (
        <div className="field">
          <label htmlFor={`${ids}-file`}>JSON file</label>
          <input
            id={`${ids}-file`}
            type="file"
            accept="application/json,.json"
            onChange={chooseFile}
            aria-invalid={upload !== null && "error" in upload}
            aria-describedby={`${ids}-file-help`}
          />
          <small id={`${ids}-file-help`} className={upload !== null && "error" in upload ? "help help-error" : "help"}>
            {upload === null
              ? "A scenario in the format of docs/scenarios.md."
              : "error" in upload
                ? upload.error
                : `Read ${upload.fileName}${typeof upload.scenario.name === "string" ? ` (scenario “${upload.scenario.name}”)` : ""}.`}
          </small>
        </div>
      )}

      <div className="field">
        <label htmlFor="seed-input">Seed (optional)</label>
        <input
          id="seed-input"
          inputMode="numeric"
          placeholder="scenario's own"
          value={seed}
          onChange={(event) => setSeed(event.target.value)}
          aria-invalid={!seedValid}
          aria-describedby="seed-help"
        />
        <small id="seed-help" className={seedValid ? "help" : "help help-error"}>
          {seedValid ? "Same scenario and seed give the same trace." : "A seed is a whole number from 0 to 999999999."}
        </small>
      </div>

      <div className="field">
        <label htmlFor={`${ids}-speed`}>Speed</label>
        <select id={`${ids}-speed`} value={speed} onChange={(event) => setSpeed(event.target.value as SpeedChoice)} aria-describedby={`${ids}-speed-help`}>
          <option value="instant">Instant</option>
          <option value="realtime">Real time</option>
          <option value="faster">N× real time</option>
        </select>
        <small id={`${ids}-speed-help`} className="help">
          {speed === "instant" ? "Recorded at once, on the virtual clock." : "Watch the run while it happens."}
        </small>
      </div>

      {speed === "faster" && (
        <div className="field">
          <label htmlFor={`${ids}-factor`}>Times faster</label>
          <input
            id={`${ids}-factor`}
            type="number"
            min="0.1"
            max={MAX_FACTOR}
            step="any"
            value={factor}
            onChange={(event) => setFactor(event.target.value)}
            aria-invalid={!factorValid}
            aria-describedby={`${ids}-factor-help`}
          />
          <small id={`${ids}-factor-help`} className={factorValid ? "help" : "help help-error"}>
            {factorValid ? "2 plays the run twice as fast as real time." : `A number above 0, at most ${MAX_FACTOR}.`}
          </small>
        </div>
      )}

      <button type="submit" disabled={!canStart}>
        {pending ? "Starting…" : "Run scenario"}
      </button>
      {origin === "builtin" && selected && <p className="scenario-description">{selected.description}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
