// Each tier sets its own per-test timeout through the `ICP_TIER_TIMEOUT_MS` global in jest.config.js.
declare const ICP_TIER_TIMEOUT_MS: number | undefined;
if (typeof ICP_TIER_TIMEOUT_MS === 'number') jest.setTimeout(ICP_TIER_TIMEOUT_MS);
