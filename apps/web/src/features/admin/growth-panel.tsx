import type { Growth } from '@catlist/contracts';
import { useId } from 'react';
import { adminApi } from './admin-api';
import { LoadOnOpen } from './admin-load-view';

interface GrowthPanelProps {
  onUnauthorized: () => void;
}

/**
 * "Growth": joined and left per UTC day for the last 90 days (GET /api/admin/growth), asked for
 * the first time the panel is opened. Drawn as plain SVG (90 pairs of bars need no chart
 * library, and the admin chunk stays as it was), coloured by the page's own variables so it
 * follows dark mode, with a sentence that sums it up and the numbers as a table for screen
 * readers and anyone who wants them.
 */
export function GrowthPanel({ onUnauthorized }: GrowthPanelProps) {
  return (
    <LoadOnOpen
      className="import growth"
      bodyClassName="growth-panel"
      summary="Growth, last 90 days"
      get={adminApi.getGrowth}
      onUnauthorized={onUnauthorized}
    >
      {(growth) => <GrowthChart growth={growth} />}
    </LoadOnOpen>
  );
}

const BAR = 6;
const GAP = 1;
const HALF = 60;

/** "1 March 2026" for a YYYY-MM-DD day (UTC). */
const dayFormatter = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const longDay = (day: string) => dayFormatter.format(new Date(`${day}T00:00:00Z`));

/** The sentence under the chart: totals, net change, and the busiest day. */
export function growthSummary({ days }: Growth): string {
  const joined = days.reduce((sum, day) => sum + day.joined, 0);
  const left = days.reduce((sum, day) => sum + day.left, 0);
  if (joined === 0 && left === 0) return 'No one joined or left in the last 90 days.';
  const net = joined - left;
  const busiest = days.reduce((best, day) => (day.joined > best.joined ? day : best));
  const peak =
    busiest.joined > 0 ? ` The most joined on ${longDay(busiest.day)}: ${busiest.joined}.` : '';
  return (
    `In the last 90 days ${joined} joined and ${left} left ` +
    `(${net >= 0 ? '+' : '−'}${Math.abs(net)}).${peak}`
  );
}

function GrowthChart({ growth }: { growth: Growth }) {
  const titleId = useId();
  const descId = useId();
  const { days } = growth;
  const most = Math.max(1, ...days.map((day) => Math.max(day.joined, day.left)));
  const scale = (n: number) => (n === 0 ? 0 : Math.max(1, (n / most) * HALF));
  const width = days.length * (BAR + GAP);
  const summary = growthSummary(growth);
  return (
    <figure className="growth-figure">
      <svg
        className="growth-chart"
        viewBox={`0 0 ${width} ${HALF * 2 + 2}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        preserveAspectRatio="none"
      >
        <title id={titleId}>Joined (up) and left (down) per day, last 90 days</title>
        <desc id={descId}>{summary}</desc>
        <line className="growth-axis" x1={0} x2={width} y1={HALF + 1} y2={HALF + 1} />
        {days.map((day, i) => (
          <g key={day.day}>
            {day.joined > 0 && (
              <rect
                className="growth-joined"
                x={i * (BAR + GAP)}
                y={HALF - scale(day.joined)}
                width={BAR}
                height={scale(day.joined)}
              />
            )}
            {day.left > 0 && (
              <rect
                className="growth-left"
                x={i * (BAR + GAP)}
                y={HALF + 2}
                width={BAR}
                height={scale(day.left)}
              />
            )}
          </g>
        ))}
      </svg>
      <figcaption className="growth-summary">
        <span className="growth-key growth-key-joined">Joined</span>{' '}
        <span className="growth-key growth-key-left">Left</span> {summary}
      </figcaption>
      <details className="growth-numbers">
        <summary>Show the numbers</summary>
        <table className="growth-table">
          <caption className="visually-hidden">Joined and left per day (UTC)</caption>
          <thead>
            <tr>
              <th scope="col" className="growth-cell">
                Day
              </th>
              <th scope="col" className="growth-cell">
                Joined
              </th>
              <th scope="col" className="growth-cell">
                Left
              </th>
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((day) => (
              <tr key={day.day}>
                <th scope="row" className="growth-cell">
                  {day.day}
                </th>
                <td className="growth-cell">{day.joined}</td>
                <td className="growth-cell">{day.left}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
