import type { Actor } from '../../events/filing/actor';
import type { FilingStatusView } from '../../events/filing/filing-view';

/** Whether a filing lies in the caller's scope: platforms see their own, bureaus their province's. */
export function inScope(actor: Actor, view: Pick<FilingStatusView, 'platformId' | 'province'>): boolean {
  switch (actor.role) {
    case 'platform':
      return view.platformId !== undefined && view.platformId === actor.platformId;
    case 'bureau':
      return view.province !== undefined && view.province === actor.province;
    case 'auditor':
    case 'admin':
      return true;
    case 'applicant':
    case 'system':
    case 'isp':
    case 'store':
    case 'device_maker':
      return false;
    default: {
      const unreachable: never = actor.role;
      return unreachable;
    }
  }
}
