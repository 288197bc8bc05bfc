export {
  createRecorder,
  newRunId,
  FLUSH_INTERVAL_MS,
  RecorderError,
  type NewRun,
  type Recorder,
  type RecorderListener,
  type RecorderUpdate,
} from "./recorder";
