/**
 * Replays the histories recorded from real runs (scripts/record-histories.ts → test/fixtures/
 * histories/<shape>/) against today's workflow code: the pre-patch shape's (recorded before the
 * local-emits patch), the one-task shape's (before the plan-from-input patch) and today's, since
 * runs of each may be open (docs/versioning.md). A change that would break workflows already running
 * (a reordered step, a new activity, a different timer) fails here with a non-determinism error.
 * Needs no server: replay runs the workflow code against the history alone.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { History } from '../../src/workers/history-json.js';
import { BRANCHES } from '../kit/branches.js';
import { shapeOfEvents } from '../kit/history-shape.js';
import { historyFromJson } from '../../src/workers/history-json.js';
import { bundleOrderWorkflows } from '../../src/workers/order-worker.js';
import { orderWorkflowId, type OrderLifecycleInput } from '../../src/workflows/contract.js';
import { LOCAL_EMITS_PATCH, PLAN_FROM_INPUT_PATCH } from '../../src/workflows/order-lifecycle.js';
import { installQuietRuntime } from '../support/temporal.js';

const ROOT = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));
/** Each shape's folder, and the patch markers its runs carry. */
const SHAPES = { 'pre-patch': [], 'one-task': [LOCAL_EMITS_PATCH], 'plan-from-input': [PLAN_FROM_INPUT_PATCH] } as const;
const SCALED_PATHS = [
  'scaled-paid-by-update-then-cancelled-by-update',
  'scaled-timed-out',
  'scaled-cancelled-by-signal',
  'scaled-delivered-late-cancel-ignored',
];

interface Recorded {
  shape: keyof typeof SHAPES;
  name: string;
  workflowId: string;
  history: History;
}

/** The workflow's own input, from its first event: replay needs the real workflow id. */
function inputOf(history: History): OrderLifecycleInput {
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  assert.ok(payload, 'the first event carries the workflow input');
  return defaultPayloadConverter.fromPayload<OrderLifecycleInput>(payload);
}

function loadHistories(): Recorded[] {
  return (Object.keys(SHAPES) as Array<keyof typeof SHAPES>).flatMap((shape) =>
    readdirSync(path.join(ROOT, shape))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((file) => {
        const history = historyFromJson(readFileSync(path.join(ROOT, shape, file), 'utf8'));
        return { shape, name: path.basename(file, '.json'), workflowId: orderWorkflowId(inputOf(history).order.order_id), history };
      }),
  );
}

describe('replay of recorded histories', () => {
  let bundle: WorkflowBundleWithSourceMap;
  let recorded: Recorded[];

  before(async () => {
    installQuietRuntime();
    bundle = await bundleOrderWorkflows();
    recorded = loadHistories();
  });

  it('has a recording of every branch and of each people-in-the-loop path, in each shape', () => {
    for (const shape of Object.keys(SHAPES)) {
      const names = recorded.filter((r) => r.shape === shape).map((r) => r.name);
      for (const branch of BRANCHES) assert.ok(names.includes(`skip-${branch}`), `${shape}/skip-${branch}.json recorded`);
      for (const name of SCALED_PATHS) assert.ok(names.includes(name), `${shape}/${name}.json recorded`);
    }
  });

  it('each shape’s recordings are of that shape (its patch markers, and no other)', () => {
    for (const r of recorded) assert.deepEqual(shapeOfEvents(r.history.events ?? []).patches, [...SHAPES[r.shape]], `${r.shape}/${r.name}`);
  });

  it('today’s recordings of simulated payment took the plan from the input: no planLifecycle step', () => {
    const skip = recorded.filter((r) => r.shape === 'plan-from-input' && r.name.startsWith('skip-'));
    assert.ok(skip.length > 0);
    for (const r of skip) {
      assert.ok(inputOf(r.history).plan, `${r.name}: the input carries the plan`);
      const shape = shapeOfEvents(r.history.events ?? []);
      assert.ok(![...shape.localActivities, ...shape.activities].includes('planLifecycle'), `${r.name}: no planLifecycle step`);
    }
  });

  it('replays every history without a non-determinism error', async () => {
    const results: string[] = [];
    const histories = recorded.map(({ workflowId, history }) => ({ workflowId, history }));
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
      assert.equal(result.error, undefined, `${result.workflowId}: ${String(result.error)}`);
      results.push(result.workflowId);
    }
    assert.deepEqual(results.sort(), recorded.map((r) => r.workflowId).sort());
  });

  it('does detect a mismatch: a history replayed under another order’s workflow id fails', async () => {
    // The workflow then refuses its input at the first step, unlike the recorded run.
    for (const shape of Object.keys(SHAPES)) {
      const { history } = recorded.find((r) => r.shape === shape && r.name === 'skip-delivered') as Recorded;
      await assert.rejects(Worker.runReplayHistory({ workflowBundle: bundle }, history, orderWorkflowId('1')), DeterminismViolationError);
    }
  });
});
