// A gate's status as an icon, a colour and words together, like every status in Shiplog.
import { GATE_STATUS_AS_STATUS, GATE_STATUS_LABEL, type GateStatus } from "@/lib/ui/gates";
import { StatusBadge } from "@/components/ui/status-icon";

export function GateStatusBadge({ status }: { status: GateStatus }) {
  return (
    <span data-testid="gate-status" data-gate-status={status} className="inline-flex">
      <StatusBadge status={GATE_STATUS_AS_STATUS[status]} label={GATE_STATUS_LABEL[status]} />
    </span>
  );
}
