import { type Interceptor, InterceptingCall, ListenerBuilder, RequesterBuilder } from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/**
 * A connection as production makes it (lazy, the SDK's retrying of UNAVAILABLE: ~20 s in all),
 * with an outer interceptor that counts calls not yet ended. The retry interceptor backs off with
 * setTimeout past a call's deadline, and a retry that fires after close() throws from its timer:
 * close only once every call has ended.
 */
export function unreachableClient(address: string): { client: Client; close(): Promise<void> } {
  let open = 0;
  const counting: Interceptor = (options, nextCall) =>
    new InterceptingCall(
      nextCall(options),
      new RequesterBuilder()
        .withStart((metadata, _listener, next) => {
          open += 1;
          next(
            metadata,
            new ListenerBuilder()
              .withOnReceiveStatus((status, nextStatus) => {
                open -= 1;
                nextStatus(status);
              })
              .build(),
          );
        })
        .build(),
    );
  const connection = Connection.lazy({
    address,
    interceptors: [counting, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
  });
  return {
    client: new Client({ connection }),
    async close() {
      for (const until = Date.now() + 15_000; open > 0 && Date.now() < until;) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await connection.close();
    },
  };
}
