/**
 * Workflow histories to and from proto3 JSON (the format `temporal workflow show --output json`
 * and the Web UI export), for the replay fixtures.
 *
 * Why not the SDK's historyToJSON / historyFromJSON: in this dependency tree @grpc/proto-loader
 * hoists protobufjs 7 to the top, so each @temporalio package gets its own nested copy of
 * protobufjs 8, and the SDK helpers pair the JSON codec of @temporalio/common's copy with the
 * message types of @temporalio/proto's copy: they fail with "type must be a Type". Here the codec
 * is taken from the very protobufjs instance that built the History type, which always matches.
 */
import { createRequire } from 'node:module';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';

type History = proto.temporal.api.history.v1.History;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

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
