/** `"partitions"` → `"Partitions"`: construct ids derived from role names. */
export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
