/**
 * The pages of a listing, each requested as soon as the one before says it exists: while the caller
 * works on page N, page N+1 is already on its way, so a slow consumer and a slow API overlap instead
 * of adding up. `read` turns an answer into a page (throwing on one that cannot be read); `pageCount`
 * is the number of pages that page says there are. Yields each page with its number (1, 2, …).
 */
export async function* readAhead<Answer, Page>(
  fetchPage: (number: number) => Promise<Answer>,
  read: (answer: Answer, number: number) => Page,
  pageCount: (page: Page) => number,
): AsyncGenerator<{ page: Page; number: number }> {
  let pending: Promise<Answer> | undefined = fetchPage(1);
  for (let number = 1; pending; number += 1) {
    const page = read(await pending, number);
    pending = number < pageCount(page) ? fetchPage(number + 1) : undefined;
    // A caller that stops early never awaits the prefetch: its failure must not surface as unhandled.
    pending?.catch(() => undefined);
    yield { page, number };
  }
}
