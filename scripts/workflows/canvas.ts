/**
 * Where things go on n8n's canvas: the size n8n draws each node at, the room its label
 * takes, and the lanes (a sticky note over a band of nodes) the shipped workflows are
 * laid out in. The sizes are the editor's own (n8n 2.x canvas: a node is 96 px square,
 * 32 px taller per main input or output beyond two; its label is two lines at most,
 * twice the node's width, centred under it), so "no two nodes overlap" can be checked
 * without a browser; test/e2e/canvas.test.ts checks the same in Chromium.
 */

/** The canvas grid (n8n snaps to 16 px). */
export const GRID = 16;
export const NODE_SIZE = 96;
const PORT_STEP = 32;
/** A label's two lines, the subtitle line and the gap above them. */
const LABEL_HEIGHT = 64;
/** One column of nodes: a label (two node widths) and a gap. */
export const COLUMN_WIDTH = 16 * GRID;
/** One row of plain nodes: a node, its label and a gap. */
export const ROW_HEIGHT = 11 * GRID;
/** Space between a lane's edge and its nodes' footprints (lanes over neighbouring columns stay apart), and below a lane. */
const LANE_PADDING = GRID;
const LANE_GAP = 4 * GRID;
/** A sticky note's markdown: `## Title` then text; what a line of each takes. */
const TITLE_LINE = 40;
const TEXT_LINE = 22;
const CHARACTER_WIDTH = 8;

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export const overlaps = (a: Rect, b: Rect): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

export const contains = (outer: Rect, inner: Rect): boolean =>
	inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/** The node as n8n draws it: 96 px, taller when it has more than two main inputs or outputs. */
export function nodeBox(position: [number, number], ports: number): Rect {
	return { x: position[0], y: position[1], width: NODE_SIZE, height: NODE_SIZE + Math.max(0, ports - 2) * PORT_STEP };
}

/** The node and its label: what must not overlap another node's. */
export function footprint(position: [number, number], ports: number): Rect {
	const box = nodeBox(position, ports);
	return { x: box.x - NODE_SIZE / 2, y: box.y, width: NODE_SIZE * 2, height: box.height + LABEL_HEIGHT };
}

/** How tall a sticky note's markdown is at a width (its title, then its text wrapped). */
export function noteTextHeight(markdown: string, width: number): number {
	const perLine = Math.max(1, Math.floor((width - 2 * GRID) / CHARACTER_WIDTH));
	return markdown.split('\n').reduce((height, line) => {
		if (line.startsWith('#')) return height + TITLE_LINE;
		return height + TEXT_LINE * Math.max(1, Math.ceil(line.length / perLine));
	}, GRID);
}

const snap = (value: number) => Math.round(value / GRID) * GRID;

/** Something placed in a lane: a node (with its main ports), or a sticky note spanning `columns`. */
export type LaneItem = { column: number; row: number } & ({ ports: number } | { note: { markdown: string; columns: number } });

export interface LanePlacement {
	/** Columns are the canvas's; rows count from the lane's top. */
	items: LaneItem[];
	markdown: string;
}

export interface LaidOutLane {
	note: Rect;
	/** Each item's position (a node's or a note's top-left corner), in the order given. */
	positions: Array<[number, number]>;
	/** Each note item's size, in the order given (undefined for nodes). */
	sizes: Array<{ width: number; height: number } | undefined>;
}

/** What an item takes in its lane, relative to the lane's grid. */
function itemRect(item: LaneItem): Rect {
	const position: [number, number] = [item.column * COLUMN_WIDTH, item.row * ROW_HEIGHT];
	if ('ports' in item) return footprint(position, item.ports);
	const x = position[0] - NODE_SIZE / 2;
	const width = item.note.columns * COLUMN_WIDTH - (COLUMN_WIDTH - 2 * NODE_SIZE);
	return { x, y: position[1], width, height: snap(noteTextHeight(item.note.markdown, width) + GRID) };
}

/**
 * Lays lanes out: each lane's nodes on the shared column grid (so a column is the same x
 * in every lane and the whole canvas reads left to right), under the lane's note text;
 * a lane goes below the lowest earlier lane it shares columns with, so lanes over
 * different columns sit side by side and no two lanes overlap.
 */
export function layOutLanes(lanes: LanePlacement[]): LaidOutLane[] {
	const done: LaidOutLane[] = [];
	for (const lane of lanes) {
		if (lane.items.length === 0) throw new Error('a lane needs at least one node');
		const relative = lane.items.map(itemRect);
		const left = Math.min(...relative.map((rect) => rect.x)) - LANE_PADDING;
		const right = Math.max(...relative.map((rect) => rect.x + rect.width)) + LANE_PADDING;
		const width = snap(right - left);
		const header = snap(noteTextHeight(lane.markdown, width) + GRID);
		const top = Math.min(...relative.map((rect) => rect.y));
		const bottom = Math.max(...relative.map((rect) => rect.y + rect.height));
		const height = snap(header + bottom - top + LANE_PADDING + GRID);
		const x = snap(left);
		const y = done.filter(({ note }) => note.x < x + width && x < note.x + note.width).reduce((lowest, { note }) => Math.max(lowest, note.y + note.height + LANE_GAP), 0);
		const positions = lane.items.map((item, index): [number, number] => {
			const rect = relative[index];
			const itemY = snap(y + header + rect.y - top);
			return 'ports' in item ? [item.column * COLUMN_WIDTH, itemY] : [snap(rect.x), itemY];
		});
		const sizes = lane.items.map((item, index) => ('ports' in item ? undefined : { width: snap(relative[index].width), height: relative[index].height }));
		done.push({ note: { x, y, width, height }, positions, sizes });
	}
	return done;
}
