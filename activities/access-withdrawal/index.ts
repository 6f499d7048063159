export {
  type AccessWithdrawalActivityDeps,
  accessWithdrawnText,
  createAccessWithdrawalActivities,
  ICP_LOOKUP_URL,
  readServiceAccess,
  type WithdrawServiceAccessOutcome,
  type WithdrawServiceAccessRequest,
} from './access-withdrawal.activities';
