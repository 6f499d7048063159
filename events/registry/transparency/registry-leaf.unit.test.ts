import { bytesToHex } from '@noble/hashes/utils';
import type { RecordedEvent } from '../../ports/event-log.port';
import {
  identifierStreamId,
  serviceStreamId,
  subjectKeyDigestOf,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../registry-streams';
import { SHA256_MERKLE } from './merkle-hash';
import { isTransparencyLeafStream, registryLeafData } from './registry-leaf';

const event: RecordedEvent = {
  streamId: serviceStreamId('粤ICP备2026000001号-1A'),
  revision: 0,
  position: 17,
  id: '0b6f3c1e-4d3a-5b5c-8e6f-0a1b2c3d4e51',
  type: 'ServiceCancelled',
  data: { filingId: 'f-1', cancelledOn: '2026-12-01', scope: 'service' },
  metadata: { seq: 0, hash: 'ab' },
  recordedAt: '2026-12-01T02:00:00.000Z',
};

describe('registry leaves of the transparency log', () => {
  it('are the events of subject and service streams, not counters or identifier claims', () => {
    const digest = subjectKeyDigestOf('uscc:91440300MA5F000001');
    expect(isTransparencyLeafStream(subjectStreamId('440000', digest))).toBe(true);
    expect(isTransparencyLeafStream(event.streamId)).toBe(true);
    expect(isTransparencyLeafStream(subjectSequenceStreamId('440000', 2026))).toBe(false);
    expect(isTransparencyLeafStream(identifierStreamId({ kind: 'package', packageName: 'com.a.b' }))).toBe(
      false,
    );
    expect(isTransparencyLeafStream('filing-0b6f3c1e-4d3a-4b5c-8e6f-0a1b2c3d4e51')).toBe(false);
  });

  it('commit to the stored event (data and sealed metadata), in canonical JSON, but not to its log position', () => {
    const text = new TextDecoder().decode(registryLeafData(event));
    expect(text).toBe(
      '{"data":{"cancelledOn":"2026-12-01","filingId":"f-1","scope":"service"},"id":"0b6f3c1e-4d3a-5b5c-8e6f-0a1b2c3d4e51",' +
        `"metadata":{"hash":"ab","seq":0},"revision":0,"streamId":${JSON.stringify(event.streamId)},"type":"ServiceCancelled"}`,
    );
    const leaf = (changed: Partial<RecordedEvent>) =>
      bytesToHex(SHA256_MERKLE.leaf(registryLeafData({ ...event, ...changed })));
    expect(leaf({ position: 99_999, recordedAt: '2027-01-01T00:00:00.000Z' })).toBe(leaf({}));
    expect(leaf({ data: { ...(event.data as object), scope: 'subject' } })).not.toBe(leaf({}));
    expect(leaf({ metadata: { seq: 0, hash: 'cd' } })).not.toBe(leaf({}));
  });
});
