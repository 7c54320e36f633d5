// Times on the admin pages: UTC to the minute, the way the audit log stores them.
export function formatUtc(value: string | Date | null): string {
  if (value === null) return "—";
  const iso = typeof value === "string" ? value : value.toISOString();
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}
