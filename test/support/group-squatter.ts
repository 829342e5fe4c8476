/**
 * A real, non-retriable consumer crash on demand: a member that holds a consumer group with a
 * partition assignor nobody else speaks. Any other consumer that then joins the group is refused
 * by the broker with INCONSISTENT_GROUP_PROTOCOL, which kafkajs does not retry: its consumer
 * crashes for good (CRASH with restart: false), as it would on an authorisation failure.
 */
import { AssignerProtocol, type Consumer, type Kafka, type PartitionAssigner } from 'kafkajs';

const squatterAssigner: PartitionAssigner = () => ({
  name: 'TestSquatter',
  version: 0,
  // Assigns nothing to anyone: the squatter consumes no message.
  async assign({ members }) {
    return members.map((m) => ({
      memberId: m.memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: {}, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: 'TestSquatter', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});

export interface GroupSquatter {
  leave(): Promise<void>;
}

/** Joins `groupId` (subscribed to `topic`) with the foreign assignor; resolves once it is a member. */
export async function squatGroup(kafka: Kafka, groupId: string, topic: string): Promise<GroupSquatter> {
  const consumer: Consumer = kafka.consumer({ groupId, partitionAssigners: [squatterAssigner], sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({ eachMessage: async () => undefined });
  await joined;
  return { leave: () => consumer.disconnect() };
}
