import { type CampaignDomainError } from './campaign-errors';
import type { CampaignEvent, CampaignOpenedData } from './campaign-events';
import { type CampaignCommand, decideCampaign, evolveCampaign, initialCampaignState } from './campaign';
import { sampleCandidates } from './campaign-sampling';

const OPENED: CampaignOpenedData = {
  campaignId: 'c-1',
  province: '440000',
  name: '2026年第四季度APP备案信息准确性核验',
  selection: { sampleSize: 1 },
  serviceNumbers: ['粤ICP备2026000001号-1A'],
  items: [{ serviceNumber: '粤ICP备2026000001号-1A', respondents: { ispNames: ['中国电信'] } }],
  answerWithinWorkingDays: 10,
  dueAt: '2026-12-21T15:59:59.999Z',
  dueOn: '2026-12-21',
  openedBy: 'officer-440000',
};

function given(...history: CampaignEvent[]) {
  const state = history.reduce(evolveCampaign, initialCampaignState);
  return {
    when: (command: CampaignCommand) => ({
      then: (...expected: CampaignEvent[]) => expect(decideCampaign(command, state)).toEqual(expected),
      thenThrows: (code: string) =>
        expect(() => decideCampaign(command, state)).toThrow(
          expect.objectContaining({ code }) as unknown as CampaignDomainError,
        ),
    }),
  };
}

const opened: CampaignEvent = { type: 'CampaignOpened', data: OPENED };
const closed: CampaignEvent = { type: 'CampaignClosed', data: { campaignId: 'c-1', closedOn: '2026-12-22' } };

describe('campaign decider', () => {
  it('opens once, retried opening adds nothing', () => {
    given().when({ type: 'OpenCampaign', data: OPENED }).then(opened);
    given(opened).when({ type: 'OpenCampaign', data: OPENED }).then();
  });

  it('closes an open campaign once, never one that was not opened', () => {
    given(opened).when({ type: 'CloseCampaign', data: closed.data }).then(closed);
    given(opened, closed).when({ type: 'CloseCampaign', data: closed.data }).then();
    given().when({ type: 'CloseCampaign', data: closed.data }).thenThrows('not_open');
  });
});

describe('campaign sampling', () => {
  const numbers = Array.from({ length: 50 }, (_, i) => `粤ICP备20260000${String(i).padStart(2, '0')}号-1A`);
  const id = (n: string) => n;

  it('is the same sample for the same campaign whatever order the registry lists them in', () => {
    const sample = sampleCandidates('c-1', numbers, 10, id);
    expect(sample).toHaveLength(10);
    expect(sampleCandidates('c-1', [...numbers].reverse(), 10, id)).toEqual(sample);
    expect([...sample].sort()).toEqual(sample);
  });

  it('differs between campaigns and takes everything when the sample is larger', () => {
    expect(sampleCandidates('c-2', numbers, 10, id)).not.toEqual(sampleCandidates('c-1', numbers, 10, id));
    expect(sampleCandidates('c-1', numbers, 500, id)).toEqual([...numbers].sort());
  });
});
