/**
 * Bar charts for the public queue page's statistics (issue #12), with Chart.js: the most used
 * chart library on npm, kept up, MIT, drawing on a canvas that scales to a phone's width, and
 * tree-shakable — only the bar chart's parts are registered here. The page loads this module on
 * demand (a dynamic import, its own chunk), so the citizen cabinet's bundle does not carry it.
 * A canvas says nothing to a screen reader: each chart is role="img" with its title, and the same
 * numbers are in a table beside it (web/src/pages/queue-stats.tsx).
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface BarData {
  /** A label of several lines is an array of them. */
  labels: (string | string[])[];
  values: number[];
  /** What a bar counts, for the tooltip. */
  label: string;
  horizontal?: boolean;
}

/** Draws the bars on the canvas; returns the chart so the page can destroy it when it goes. */
export function drawBars(canvas: HTMLCanvasElement, data: BarData): { destroy(): void } {
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.labels,
      // #0b4f9c on white: 7.6:1, above the 3:1 WCAG 2.1 asks of graphical objects (1.4.11).
      datasets: [{ label: data.label, data: data.values, backgroundColor: '#0b4f9c', borderWidth: 0 }],
    },
    options: {
      indexAxis: data.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      // No animation: nothing moves for people who get dizzy, and a slow phone draws once.
      animation: false,
      plugins: { legend: { display: false }, tooltip: { enabled: true } },
      scales: {
        x: { ticks: { color: '#1a1a1a', ...(data.horizontal ? { precision: 0 } : { autoSkip: true, maxRotation: 60 }) }, grid: { color: '#e0e0e0' } },
        y: { ticks: { color: '#1a1a1a', ...(data.horizontal ? {} : { precision: 0 }) }, grid: { color: '#e0e0e0' }, beginAtZero: true },
      },
    },
  });
}
