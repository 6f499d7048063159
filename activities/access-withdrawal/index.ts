export {
  type AccessWithdrawalActivityDeps,
  accessWithdrawnText,
  createAccessWithdrawalActivities,
  ICP_LOOKUP_URL,
  type WithdrawServiceAccessOutcome,
  type WithdrawServiceAccessRequest,
} from './access-withdrawal.activities';
