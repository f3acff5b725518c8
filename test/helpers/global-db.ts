// Placeholder until the database layer lands: the integration project starts one embedded cluster here.
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
