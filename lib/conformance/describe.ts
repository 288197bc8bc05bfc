import type { FlowItem } from "@/lib/diagram";

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ");

/** One flow item as a short line of text, close to how Mermaid writes it. */
export function describeItem(item: FlowItem): string {
  switch (item.kind) {
    case "arrow":
      return `${item.from}->>${item.to}:${item.label ? ` ${oneLine(item.label)}` : " (relay)"}`;
    case "relation":
      return `${item.from}-->${item.to}: ${oneLine(item.label)}`;
    case "note":
      return `note over ${item.over.join(", ")}: ${oneLine(item.text)}`;
    case "block-start":
      return `critical ${oneLine(item.label)}`;
    case "block-end":
      return "end";
  }
}
