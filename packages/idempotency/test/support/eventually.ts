/** Polls until `probe` returns a value, for state that changes by itself (a lease ending, Redis returning). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, attempts = 200): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
