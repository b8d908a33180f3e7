export { CrispSyncError, type CrispSyncErrorKind } from "./errors";
export { DEFAULT_STATE_DIR } from "./state";
export { DEFAULT_API_URL, syncContacts } from "./syncContacts";
export type {
  ColumnType,
  SyncContactsOptions,
  SyncContactsReport,
  SyncDiff,
  SyncIssue,
  SyncIssueKind,
  SyncProgress,
} from "./types";
export { parseTypes } from "./values";
