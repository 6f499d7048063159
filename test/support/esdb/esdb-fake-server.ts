import { randomUUID } from 'node:crypto';
import { ServerFeaturesService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb';
import {
  AllStreamPosition,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import { StreamsService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import {
  type BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
// @grpc/grpc-js and google-protobuf come with @kurrent/kurrentdb-client; only this stand-in uses them.
import {
  type sendUnaryData,
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  status,
} from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';

interface LogRecord {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  created: Date;
  /** Commit and prepare position alike: every record commits itself, as on EventStoreDB 20+. */
  logPosition: bigint;
}

/** A read the stand-in answered: what it read and whether the client asked for the leader. */
export interface ReadCall {
  /** The stream read, or `$all`. */
  streamId: string;
  /** The client sent `requires-leader: true` (`requiresLeader` in its read options). */
  requiresLeader: boolean;
}

interface LiveSubscription {
  call: ServerWritableStream<ReadReq, ReadResp>;
  accepts(record: LogRecord): boolean;
}

type Proposed = BatchAppendReq.ProposedMessage;

/**
 * The in-process stand-in for KurrentDB's (EventStoreDB's) gRPC API, as far as the adapter drives it
 * through @kurrent/kurrentdb-client: server features, batch append with the server's id idempotency
 * (appends and subscriptions come over @grpc/grpc-js), stream and $all reads (inclusive, from record
 * boundaries only; they come from the client's native bridge), and filtered catch-up subscriptions with
 * checkpoints and caught-up messages. Its semantics follow the server source read for esdb-positions.ts;
 * it tests the client plumbing, not them. It is no cluster, but it can play one lagging follower: see
 * followerStopsHere().
 */
export class FakeEsdbServer {
  private readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly live = new Set<LiveSubscription>();
  // Position 0 holds the epoch record, never an event.
  private nextPosition = 64n;
  /** Store the next append but answer it with UNAVAILABLE, as when an acknowledgement is lost. */
  loseNextAcknowledgement = false;
  /** Every read answered, in order. */
  readonly reads: ReadCall[] = [];
  // Where the follower's copy ends; undefined while it is up to date.
  private followerEnd: bigint | undefined;

  private constructor(
    private server: Server,
    private readonly port: number,
  ) {}

  static async start(): Promise<FakeEsdbServer> {
    const server = new Server();
    const port = await listen(server, 0);
    const fake = new FakeEsdbServer(server, port);
    fake.serve(server);
    return fake;
  }

  /** Its URL in the older EventStoreDB scheme, which EVENT_STORE_URL still accepts. */
  get url(): string {
    return this.urlWith('esdb');
  }

  urlWith(scheme: 'esdb' | 'kurrentdb'): string {
    return `${scheme}://admin:changeit@127.0.0.1:${this.port}?tls=false`;
  }

  /**
   * The server unreachable for `ms`: it stops listening (connections are refused, calls in flight
   * fail), then listens again on the same port with everything it stored.
   */
  async unreachableFor(ms: number): Promise<void> {
    this.dropSubscriptions();
    this.server.forceShutdown();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const server = new Server();
    await listen(server, this.port);
    this.serve(server);
    this.server = server;
  }

  /**
   * From now on reads that do not ask for the leader are answered from a follower that stopped
   * replicating here: they miss every record written later, as on a lagging KurrentDB follower.
   */
  followerStopsHere(): void {
    this.followerEnd = this.nextPosition;
  }

  /** How many events it holds. */
  get eventCount(): number {
    return this.records.length;
  }

  private serve(server: Server): void {
    server.addService(ServerFeaturesService as never, {
      getSupportedMethods: (
        _call: ServerUnaryCall<Empty, SupportedMethods>,
        done: sendUnaryData<SupportedMethods>,
      ) =>
        done(
          null,
          new SupportedMethods()
            .setEventStoreServerVersion('24.10.0')
            .setMethodsList([
              new SupportedMethod()
                .setServiceName('event_store.client.streams.Streams')
                .setMethodName('BatchAppend'),
            ]),
        ),
    });
    server.addService(StreamsService as never, {
      read: (call: ServerWritableStream<ReadReq, ReadResp>) => this.read(call),
      batchAppend: (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => this.batchAppend(call),
    });
  }

  /** Ends every live subscription with UNAVAILABLE, as a leader change or network cut does. */
  dropSubscriptions(): void {
    for (const subscription of this.live) {
      fail(subscription.call, status.UNAVAILABLE, 'connection dropped');
    }
    this.live.clear();
  }

  /** The server's own (commit, prepare) position of a stream's event. */
  positionOf(streamId: string, revision: number): bigint | undefined {
    return this.streams.get(streamId)?.[revision]?.logPosition;
  }

  async stop(): Promise<void> {
    this.dropSubscriptions();
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private batchAppend(call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const pending = new Map<string, { options: BatchAppendReq.Options; messages: Proposed[] }>();
    call.on('data', (request: BatchAppendReq) => {
      const correlation = request.getCorrelationId()?.getString() ?? '';
      const options = request.getOptions();
      const batch = pending.get(correlation) ?? { options: options as BatchAppendReq.Options, messages: [] };
      pending.set(correlation, batch);
      batch.messages.push(...request.getProposedMessagesList());
      if (!request.getIsFinal()) return;
      pending.delete(correlation);
      const response = this.append(batch.options, batch.messages).setCorrelationId(
        new UUID().setString(correlation),
      );
      if (this.loseNextAcknowledgement) {
        this.loseNextAcknowledgement = false;
        fail(call, status.UNAVAILABLE, 'acknowledgement lost');
        return;
      }
      call.write(response);
    });
    call.on('end', () => call.end());
  }

  private append(options: BatchAppendReq.Options, messages: Proposed[]): BatchAppendResp {
    const identifier = options.getStreamIdentifier() as StreamIdentifier;
    const streamId = Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length - 1;
    const ids = messages.map((message) => message.getId()?.getString() ?? '');
    const response = new BatchAppendResp().setStreamIdentifier(identifier);
    const refuse = (): BatchAppendResp => {
      const details = new WrongExpectedVersion();
      if (current >= 0) details.setCurrentStreamRevision(String(current));
      else details.setCurrentNoStream(new Empty());
      if (options.hasStreamPosition()) details.setExpectedStreamPosition(options.getStreamPosition());
      else if (options.hasNoStream()) details.setExpectedNoStream(new Empty());
      else details.setExpectedAny(new Empty());
      const any = new Any();
      any.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
      return response.setError(new Status().setCode(9).setMessage('Wrong expected version.').setDetails(any));
    };
    const succeed = (last: LogRecord): BatchAppendResp =>
      response.setSuccess(
        new BatchAppendResp.Success()
          .setCurrentRevision(String(last.revision))
          .setPosition(
            new AllStreamPosition()
              .setCommitPosition(String(last.logPosition))
              .setPreparePosition(String(last.logPosition)),
          ),
      );

    // IndexWriter.CheckCommit: the same ids where the append would go make a successful no-op.
    const idempotent = (from: number): LogRecord | undefined => {
      const there = stream.slice(from, from + ids.length);
      const same = there.length === ids.length && there.every((record, index) => record.id === ids[index]);
      return same ? there[there.length - 1] : undefined;
    };
    if (options.hasAny()) {
      const first = stream.findIndex((record) => record.id === ids[0]);
      if (first >= 0) {
        const earlier = idempotent(first);
        return earlier ? succeed(earlier) : refuse();
      }
    } else {
      const expected = options.hasNoStream() ? -1 : Number(options.getStreamPosition());
      if (expected < current) {
        const earlier = idempotent(expected + 1);
        return earlier ? succeed(earlier) : refuse();
      }
      if (expected > current) return refuse();
    }
    return succeed(this.write(streamId, messages));
  }

  private write(streamId: string, messages: Proposed[]): LogRecord {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const written = messages.map((message) => {
      const metadata = message.getMetadataMap();
      const record: LogRecord = {
        streamId,
        revision: stream.length,
        id: message.getId()?.getString() ?? '',
        type: metadata.get('type') ?? '',
        contentType: metadata.get('content-type') ?? 'application/octet-stream',
        data: message.getData_asU8(),
        metadata: message.getCustomMetadata_asU8(),
        created: new Date(),
        logPosition: this.nextPosition,
      };
      this.nextPosition += 40n + BigInt(record.data.length + record.metadata.length);
      stream.push(record);
      this.records.push(record);
      return record;
    });
    const last = written[written.length - 1] as LogRecord;
    // What the $by_category projection does: a link to each event in $ce-<category>, after it.
    const category = `$ce-${streamId.split('-')[0]}`;
    const links = this.streams.get(category) ?? [];
    this.streams.set(category, links);
    for (const record of written) {
      const link: LogRecord = {
        streamId: category,
        revision: links.length,
        id: randomUUID(),
        type: '$>',
        contentType: 'application/octet-stream',
        data: Buffer.from(`${record.revision}@${streamId}`),
        metadata: new Uint8Array(),
        created: new Date(),
        logPosition: this.nextPosition,
      };
      this.nextPosition += 60n;
      links.push(link);
      this.records.push(link);
    }
    this.publish(written.length);
    return last;
  }

  /** Sends what was just written to live subscriptions; a checkpoint where nothing matched. */
  private publish(eventCount: number): void {
    const fresh = this.records.slice(-2 * eventCount);
    for (const subscription of this.live) {
      const matching = fresh.filter((record) => subscription.accepts(record));
      for (const record of matching) subscription.call.write(eventResponse(record));
      const last = fresh[fresh.length - 1] as LogRecord;
      if (matching.length === 0)
        subscription.call.write(checkpointResponse(last.logPosition, last.logPosition));
    }
  }

  private read(call: ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions() as ReadReq.Options;
    const requiresLeader = call.metadata.get('requires-leader').some((value) => String(value) === 'true');
    const stream = options.getStream()?.getStreamIdentifier()?.getStreamName_asU8();
    this.reads.push({
      streamId: stream ? Buffer.from(stream).toString('utf8') : '$all',
      requiresLeader,
    });
    const visible = (record: LogRecord): boolean =>
      requiresLeader || this.followerEnd === undefined || record.logPosition < this.followerEnd;
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
    if (options.hasStream())
      return this.readStream(
        call,
        options.getStream() as ReadReq.Options.StreamOptions,
        backwards,
        count,
        visible,
      );

    const all = options.getAll() as ReadReq.Options.AllOptions;
    const position = all.getPosition();
    const from = position
      ? { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) }
      : all.hasEnd()
        ? 'end'
        : 'start';
    // Reads start on a record boundary (StorageReaderWorker answers InvalidPosition otherwise).
    if (typeof from === 'object' && !this.isBoundary(from.commit)) {
      fail(call, status.INVALID_ARGUMENT, 'Trying to read from an invalid position.');
      return;
    }
    const after = (record: LogRecord, inclusive: boolean): boolean => {
      if (from === 'start') return true;
      if (from === 'end') return false;
      const { commit, prepare } = from;
      if (record.logPosition !== commit) return record.logPosition > commit;
      return inclusive ? record.logPosition >= prepare : record.logPosition > prepare;
    };

    if (options.hasSubscription()) return this.subscribe(call, options, (record) => after(record, false));
    const records = this.records.filter(visible);
    const selected = backwards
      ? records.reverse().filter((record) => from === 'end' || !after(record, false))
      : records.filter((record) => after(record, true));
    for (const record of selected.slice(0, count)) call.write(eventResponse(record));
    call.end();
  }

  private isBoundary(logPosition: bigint): boolean {
    return (
      logPosition === this.nextPosition || this.records.some((record) => record.logPosition === logPosition)
    );
  }

  private readStream(
    call: ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options.StreamOptions,
    backwards: boolean,
    count: number,
    visible: (record: LogRecord) => boolean,
  ): void {
    const identifier = options.getStreamIdentifier() as StreamIdentifier;
    const stored = this.streams.get(Buffer.from(identifier.getStreamName_asU8()).toString('utf8'));
    const stream = stored?.filter(visible);
    if (!stream?.length) {
      call.write(
        new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(identifier)),
      );
      call.end();
      return;
    }
    const start = options.hasRevision()
      ? Number(options.getRevision())
      : options.hasEnd()
        ? stream.length - 1
        : 0;
    const selected = backwards ? stream.slice(0, start + 1).reverse() : stream.slice(start);
    for (const record of selected.slice(0, count)) call.write(eventResponse(record));
    call.end();
  }

  private subscribe(
    call: ServerWritableStream<ReadReq, ReadResp>,
    options: ReadReq.Options,
    after: (record: LogRecord) => boolean,
  ): void {
    const filter = options.getFilter();
    const expression = filter?.getStreamIdentifier() ?? filter?.getEventType();
    const onStream = filter?.hasStreamIdentifier() === true;
    const prefixes = expression?.getPrefixList() ?? [];
    const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : undefined;
    const accepts = (record: LogRecord): boolean => {
      const subject = onStream ? record.streamId : record.type;
      if (regex) return regex.test(subject);
      return prefixes.length === 0 || prefixes.some((prefix) => subject.startsWith(prefix));
    };
    call.write(
      new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())),
    );
    for (const record of this.records)
      if (after(record) && accepts(record)) call.write(eventResponse(record));
    // Everything before the next record's position has been considered (AllSubscriptionFiltered).
    call.write(checkpointResponse(this.nextPosition, 0n));
    call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    const subscription: LiveSubscription = { call, accepts };
    this.live.add(subscription);
    call.on('cancelled', () => this.live.delete(subscription));
  }
}

function eventResponse(record: LogRecord): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(record.id))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(record.streamId, 'utf8')))
    .setStreamRevision(String(record.revision))
    .setCommitPosition(String(record.logPosition))
    .setPreparePosition(String(record.logPosition))
    .setData(record.data)
    .setCustomMetadata(record.metadata);
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType)
    .set('created', String(BigInt(record.created.getTime()) * 10_000n));
  return new ReadResp().setEvent(
    new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(record.logPosition)),
  );
}

/** Ends a call with a gRPC status, as the server does. */
function fail(call: NodeJS.EventEmitter, code: status, details: string): void {
  call.emit('error', Object.assign(new Error(details), { code, details }));
}

function checkpointResponse(commit: bigint, prepare: bigint): ReadResp {
  return new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint().setCommitPosition(String(commit)).setPreparePosition(String(prepare)),
  );
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
}
