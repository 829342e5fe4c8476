/**
 * What a run's history says about its shape (docs/versioning.md): the patch markers it carries,
 * its scheduled activities, its local activities in order and its workflow tasks. The upgrade,
 * workflow and replay tests assert shapes with it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';

export interface Shape {
  /** Ids of the patch markers in the history. */
  patches: string[];
  /** Types of the scheduled (non-local) activities. */
  activities: string[];
  /** Types of the local activities, in the order their markers were recorded. */
  localActivities: string[];
  workflowTasks: number;
}

type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

/** The shape of a run on the server. */
export async function shapeOf(handle: WorkflowHandle): Promise<Shape> {
  return shapeOfEvents((await handle.fetchHistory()).events ?? []);
}

/** The shape of a history's events (a run's, or a recorded one). */
export function shapeOfEvents(events: HistoryEvents): Shape {
  const shape: Shape = { patches: [], activities: [], localActivities: [], workflowTasks: 0 };
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) shape.workflowTasks++;
    const type = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (type) shape.activities.push(type);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_patch') {
      // The details map is keyed 'patch-data' (a map key: not renamed by the proto JSON).
      const data = defaultPayloadConverter.fromPayload<{ id?: string }>(marker.details?.['patch-data']?.payloads?.[0] ?? {});
      if (data?.id) shape.patches.push(data.id);
    }
    if (marker?.markerName === 'core_local_activity') {
      const data = defaultPayloadConverter.fromPayload<{ activity_type?: string }>(marker.details?.data?.payloads?.[0] ?? {});
      if (data?.activity_type) shape.localActivities.push(data.activity_type);
    }
  }
  return shape;
}
