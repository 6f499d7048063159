import { historiesByStatus } from '../../test/support/decider-spec';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { projectPublicRegistry } from './public-registry.projection';
import {
  minutesAfterEpoch,
  personalDataOf,
  recordedHistory,
  submittedEvent,
} from '../../test/support/projection-fixtures';

const SUBMITTED = submittedEvent('f-0002');
const AT = historiesByStatus(SUBMITTED);

describe('projectPublicRegistry', () => {
  it('turns RegistrationPublished into the public record', () => {
    const events = recordedHistory('f-0002', AT.published);
    const published = events[events.length - 1];
    expect(published?.type).toBe('RegistrationPublished');
    expect(published && projectPublicRegistry(published)).toEqual({
      registrationNumber: '粤ICP备2026000123号-1A',
      appName: '示例记账',
      serviceType: 'app',
      operatorName: SUBMITTED.data.form.operator?.name,
      province: '440000',
      publishedAt: minutesAfterEpoch(events.length - 1),
    });
  });

  it('ignores every other event', () => {
    const others = recordedHistory('f-0002', AT.completed).filter(
      (event) => event.type !== 'RegistrationPublished',
    );
    expect(others.map(projectPublicRegistry).filter(Boolean)).toEqual([]);
  });

  it('ignores a RegistrationPublished outside a filing stream', () => {
    const [published] = recordedHistory('f-0002', AT.published).slice(-1);
    expect(published && projectPublicRegistry({ ...published, streamId: 'other-1' })).toBeUndefined();
  });

  it('holds no personal data', () => {
    const row = JSON.stringify(recordedHistory('f-0002', AT.completed).map(projectPublicRegistry));
    for (const value of personalDataOf(loadValidForm('valid-app'))) expect(row).not.toContain(value);
  });
});
