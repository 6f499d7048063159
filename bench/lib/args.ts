/** Options every benchmark and the runner understand. */
export interface BenchArgs {
  /** `--quick`: smaller sizes, so `npm run bench -- --quick` finishes in under three minutes. */
  quick: boolean;
  /** `--profile`: record V8 CPU profiles (`node --cpu-prof`) and print their top frames. */
  profile: boolean;
}

export function parseBenchArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  const known = new Set(['--quick', '--profile']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (unknown.length > 0)
    throw new Error(`unknown option ${unknown.join(' ')} (options: --quick, --profile)`);
  return { quick: argv.includes('--quick'), profile: argv.includes('--profile') };
}

/** The full size or the quick one. */
export function size<T>(args: BenchArgs, full: T, quick: T): T {
  return args.quick ? quick : full;
}
