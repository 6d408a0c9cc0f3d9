// Someone else's words (a browser's error, a run's stop reason) ended as a sentence: a full stop
// only where they lack one.
export function sentence(words: string): string {
  return /[.!?]$/.test(words) ? words : `${words}.`;
}
