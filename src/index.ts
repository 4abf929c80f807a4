/** synfin's library API: the same one-pass pipeline the CLI runs. Re-exports only. */

/** Analyse one capture (or several, merged by time) and get the report the CLI prints as JSON. */
export { analyze } from './analyze.js';
export type { AnalyzeOptions, AnalyzeProgress, CaptureInput } from './analyze.js';

/** The report contract (`synfin --json`). */
export type {
  CaptureReport,
  CloseSignal,
  ConnectionReport,
  EventReport,
  Handshake,
  IssueSummary,
  Report,
  RequestsReport,
  RoleSource,
  Side,
  SidePair,
  SkippedCounts,
  Summary,
  TlsReport,
  TruncationReport,
  Verdict,
  VerdictReason,
  ZeekState,
} from './report/model.js';

/** Capture (tcpdump/dumpcap) while some code runs, and get the report of that capture. */
export { captureDuring } from './live/capture-during.js';
export type { CaptureDuringOptions } from './live/capture-during.js';
export { CaptureToolError } from './live/errors.js';
export type { CaptureFailureKind } from './live/errors.js';
export type { CaptureToolName } from './live/tool.js';

/** `--expect` as a library: parse `KEY=N`, check it against a report, say why it failed. */
export { checkExpectation, checkExpectations, failureLine, parseExpectation, ExpectationSyntaxError } from './assert/expectation.js';
export type { Expectation, ExpectationResult, Operator } from './assert/expectation.js';
export { expectationKeys } from './assert/keys.js';

/** Renderers: pure functions from a Report to text. */
export { renderJson } from './report/json.js';
export { renderTable, summaryLine } from './report/table.js';

/** Pictures: record ladders and timeline rows during analyze() (pass as an observer), then draw them. */
export { ViewRecorder } from './view/record.js';
export type { LadderData, LadderStep, RecorderOptions, TimelineRow, ViewData } from './view/record.js';
export { renderLadder, renderLadders } from './view/ladder.js';
export { renderTimeline } from './view/timeline.js';
export { renderHtml } from './view/html.js';
export { viewStyle } from './view/style.js';
export type { ViewStyle } from './view/style.js';

/** Fatal (file-level) errors and per-packet issue types. */
export { CaptureFormatError } from './errors.js';
export type { CaptureFailure, DecodeIssue, IssueKind, IssueLayer } from './errors.js';

/** Lower layers, for tools built on synfin: the capture reader and the packet decoder. */
export { openCapture } from './capture/open.js';
export type { CaptureFormat, CaptureReader, Frame } from './capture/types.js';
export { decodePacket } from './decode/packet.js';
export { createDecodedPacket, DecodeStatus } from './decode/decoded.js';
export type { DecodedPacket } from './decode/decoded.js';
