/** The bare engine's activities: bodies that do nothing, so only Temporal's own cost remains. */
export function createBareActivities() {
  return {
    async nothing(): Promise<void> {},
  };
}

export type BareActivities = ReturnType<typeof createBareActivities>;
