import type { WithdrawAccessRefusal, WithdrawnServiceStatus } from '../../events/registry/service-access';

/** What the API starts `accessWithdrawalWorkflow` with: an ISP withdraws its access to a service. */
export interface AccessWithdrawalInput {
  serviceNumber: string;
  /** UUIDv5 of the service number, the ISP and the request's Idempotency-Key (`accessWithdrawalIdOf`). */
  withdrawalId: string;
  ispName: string;
  reason: string;
  /** The ISP's user (the token's subject). */
  recordedById: string;
}

/** Recorded (status: the service's once withdrawn) and notified, or refused with nothing written. */
export type AccessWithdrawalOutcome =
  | {
      withdrawn: { status: WithdrawnServiceStatus; withdrawnOn: string; reason: string };
      notified: Array<'sms' | 'email'>;
    }
  | { refused: WithdrawAccessRefusal };

/** One workflow per withdrawal request: a retried request finds the first run. */
export function accessWithdrawalWorkflowId(withdrawalId: string): string {
  return `access-withdrawal-${withdrawalId}`;
}
