/** Polls `check` every 20 ms, at most `attempts` times; bounded so a broken test fails instead of hanging. */
export async function eventually(check: () => boolean | Promise<boolean>, attempts = 500): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not reached');
}
