import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { startSimServer, type RunningSim } from './kit/server.ts';
import { createMyCashflowSim } from './mycashflow/index.ts';
import { createNetBaronSim } from './netbaron/index.ts';

/** A scenario file holds both simulators' state: `{"mycashflow": <state>, "netbaron": <state>}`. */
export const scenarioSchema = z
  .object({ mycashflow: z.unknown().optional(), netbaron: z.unknown().optional() })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;

export async function loadScenarioFile(file: string): Promise<Scenario> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read scenario ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`scenario ${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface SimulatorOptions {
  scenario?: Scenario;
  mycashflowPort?: number;
  netbaronPort?: number;
  host?: string;
  controlToken?: string;
  now?: () => Date;
}

export interface RunningSimulators {
  mycashflow: RunningSim<ReturnType<typeof createMyCashflowSim>>;
  netbaron: RunningSim<ReturnType<typeof createNetBaronSim>>;
  close(): Promise<void>;
}

/** Both simulators, in this process, each on its own port (0 picks a free one). */
export async function startSimulators(options: SimulatorOptions = {}): Promise<RunningSimulators> {
  const common = { host: options.host, controlToken: options.controlToken };
  const mycashflow = await startSimServer(
    createMyCashflowSim(options.scenario?.mycashflow, { now: options.now }),
    {
      ...common,
      port: options.mycashflowPort ?? 0,
    },
  );
  try {
    const netbaron = await startSimServer(
      createNetBaronSim(options.scenario?.netbaron, { now: options.now }),
      {
        ...common,
        port: options.netbaronPort ?? 0,
      },
    );
    return {
      mycashflow,
      netbaron,
      close: async () => {
        await Promise.all([mycashflow.close(), netbaron.close()]);
      },
    };
  } catch (err) {
    await mycashflow.close();
    throw err;
  }
}
