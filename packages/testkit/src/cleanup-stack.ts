/**
 * Teardown steps registered as resources are created and run in reverse
 * order from `afterAll`, each one even if an earlier one failed, so a test
 * that dies half-way still stops every process and removes every temp dir.
 */
export interface CleanupStack {
  readonly defer: (label: string, step: () => unknown) => void;
  /** Runs every step (last registered first); throws one error listing the failures. */
  readonly run: () => Promise<void>;
}

export function createCleanupStack(): CleanupStack {
  const steps: { label: string; step: () => unknown }[] = [];
  return {
    defer: (label, step) => {
      steps.push({ label, step });
    },
    run: async () => {
      const failures: string[] = [];
      for (const { label, step } of steps.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (failures.length > 0) throw new Error(`cleanup failed: ${failures.join('; ')}`);
    },
  };
}
