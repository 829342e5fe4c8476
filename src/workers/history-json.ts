/**
 * Workflow histories to and from proto3 JSON (the format `temporal workflow show --output json`
 * and the Web UI export), for the replay fixtures.
 *
 * Why not the SDK's historyToJSON / historyFromJSON: in this dependency tree @grpc/proto-loader
 * hoists protobufjs 7 to the top, so each @temporalio package gets its own nested copy of
 * protobufjs 8, and the SDK helpers pair the JSON codec of @temporalio/common's copy with the
 * message types of @temporalio/proto's copy: they fail with "type must be a Type". Here the codec
 * is taken from the very protobufjs instance that built the History type, which always matches.
 *
 * Only public entry points: the package's main export is its protobufjs Root, already given the
 * flat namespaces of the generated types, so the History type comes from the Root's own
 * lookupType(); the codec is protobufjs's public `protobufjs/ext/protojson`, resolved from
 * @temporalio/proto's folder so it is that package's protobufjs.
 */
import { createRequire } from 'node:module';
import proto from '@temporalio/proto';

/** A workflow history message (the type replay takes). */
export type History = proto.temporal.api.history.v1.History;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as ProtoJson;
/** The Root's lookupType, which the generated typings of @temporalio/proto leave out. */
const protoRoot = proto as unknown as { lookupType(name: string): unknown };
const historyType = protoRoot.lookupType('temporal.api.history.v1.History');

/** A history (e.g. from `handle.fetchHistory()`) as pretty-printed proto3 JSON. */
export function historyToJson(history: proto.temporal.api.history.v1.IHistory): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

/** A History from proto3 JSON text; fields unknown to this SDK version (newer servers) are ignored. */
export function historyFromJson(text: string): History {
  const history = protojson.fromJson(historyType, JSON.parse(text), { ignoreUnknownFields: true }) as History | null;
  if (!history || !Array.isArray(history.events) || history.events.length === 0) throw new Error('not a workflow history: no events');
  return history;
}
