// The confusion matrix of `npx stratus test nlu` as an SVG picture: one row per expected intent,
// one column per predicted intent, each cell shaded by the share of the row's texts it holds (so a
// rare intent's mistakes show as clearly as a common one's) and labelled with its count. Written
// by hand rather than with a plotting library: a grid of rectangles and text needs none.
import type { ConfusionMatrix } from "./nlu-report.ts";

const CHARACTER_WIDTH = 7; // px per character of the 12 px label font, roughly
const FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\"";

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (char) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[char] ?? char);

/** White to dark blue as the share goes from 0 to 1. */
function shade(share: number): string {
  const channel = (from: number, to: number) => Math.round(from + (to - from) * share);
  return `rgb(${channel(255, 31)},${channel(255, 78)},${channel(255, 156)})`;
}

export function confusionMatrixSvg(matrix: ConfusionMatrix, title: string): string {
  const { labels, counts } = matrix;
  const cell = labels.length > 30 ? 18 : labels.length > 15 ? 24 : 32;
  const labelWidth = Math.max(60, ...labels.map((label) => label.length * CHARACTER_WIDTH)) + 12;
  // Column labels are written at -45°: they take about 0.71 of their length in height.
  const columnLabelHeight = Math.round(labelWidth * 0.72);
  const left = 24 + labelWidth;
  const top = 40 + columnLabelHeight;
  const width = left + labels.length * cell + labelWidth * 0.72 + 20;
  const height = top + labels.length * cell + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" ${FONT} font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="${left + (labels.length * cell) / 2}" y="${height - 12}" text-anchor="middle" fill="#444">predicted intent</text>`,
    `<text transform="translate(14 ${top + (labels.length * cell) / 2}) rotate(-90)" text-anchor="middle" fill="#444">expected intent</text>`,
  ];
  labels.forEach((label, i) => {
    const y = top + i * cell + cell / 2 + 4;
    parts.push(`<text x="${left - 6}" y="${y}" text-anchor="end">${escapeXml(label)}</text>`);
    const x = left + i * cell + cell / 2;
    parts.push(`<text transform="translate(${x + 4} ${top - 6}) rotate(-45)">${escapeXml(label)}</text>`);
  });
  counts.forEach((row, r) => {
    const rowTotal = row.reduce((sum, count) => sum + count, 0);
    row.forEach((count, c) => {
      const share = rowTotal === 0 ? 0 : count / rowTotal;
      const x = left + c * cell;
      const y = top + r * cell;
      const expected = labels[r] ?? "";
      const predicted = labels[c] ?? "";
      const tip = `${expected} taken for ${predicted}: ${count} of ${rowTotal} (${(share * 100).toFixed(0)}%)`;
      parts.push(
        `<g><title>${escapeXml(tip)}</title><rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${shade(share)}" stroke="${r === c ? "#1f4e9c" : "#ddd"}" stroke-width="${r === c ? 1.5 : 1}"/>` +
          (count > 0
            ? `<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" font-size="${cell > 24 ? 12 : 10}" fill="${share > 0.5 ? "white" : "#222"}">${count}</text>`
            : "") +
          `</g>`,
      );
    });
  });
  parts.push(`</svg>`);
  return `${parts.join("\n")}\n`;
}
