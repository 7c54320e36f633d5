"use client";
// A time as "3 min ago", with the exact UTC time on hover and in the <time> element.
import { useNow } from "@/lib/client/use-now";
import { exactTime, relativeTime } from "@/lib/ui/time";

export function RelativeTime({ iso, className }: { iso: string | null; className?: string }) {
  const now = useNow(15_000);
  if (!iso) return <span className={className}>—</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)} className={className} suppressHydrationWarning>
      {relativeTime(iso, now)}
    </time>
  );
}
