import { installWorkerRuntimeLogging } from '../../main/worker/runtime-logging';

// Worker state changes and bundle reports at INFO drown test output; warnings and errors still show.
installWorkerRuntimeLogging('WARN', undefined, { forwardCoreLogs: false });
