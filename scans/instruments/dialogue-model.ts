// The LLO dialogue model (Mazereeuw & Kuijpers, 2024): two axes, four quadrants. Participants place
// the organisation for a past period, now, and the desired situation.

import { DialogueModelInstrumentSchema, deepFreeze } from './schemas.js';
import type { LocalizedText, TimeFrame } from '../types.js';

export const DIALOGUE_MODEL_ID = 'dialogue-model@1';

/** Both axes run from -100 to +100. */
export const AXIS_MIN = -100;
export const AXIS_MAX = 100;

export interface Point {
  x: number;
  y: number;
}

export const QUADRANT_IDS = ['defensive', 'offensive', 'curative', 'preventive'] as const;
export type QuadrantId = (typeof QUADRANT_IDS)[number];

export type FocusSide = 'organisation' | 'people';
export type StanceSide = 'reactive' | 'proactive';

export interface Quadrant {
  id: QuadrantId;
  focus: FocusSide;
  stance: StanceSide;
  label: LocalizedText;
  description: LocalizedText;
}

export interface Axis {
  id: 'x' | 'y';
  /** What the axis measures. */
  name: LocalizedText;
  min: typeof AXIS_MIN;
  max: typeof AXIS_MAX;
  /** Meaning of the -100 end. */
  minLabel: LocalizedText;
  /** Meaning of the +100 end. */
  maxLabel: LocalizedText;
  /** Side a point exactly on 0 belongs to (see quadrantOf). */
  zeroBelongsTo: 'max';
}

export const AXES: readonly [Axis, Axis] = [
  {
    id: 'x',
    name: { nl: 'Focus', en: 'Focus' },
    min: AXIS_MIN,
    max: AXIS_MAX,
    minLabel: {
      nl: 'Gericht op (duurzame) welvaart van organisaties en samenleving',
      en: 'Focus on the (sustainable) welfare of organisations and society',
    },
    maxLabel: { nl: 'Gericht op welzijn van mensen', en: 'Focus on the wellbeing of people' },
    zeroBelongsTo: 'max',
  },
  {
    id: 'y',
    name: { nl: 'Houding', en: 'Stance' },
    min: AXIS_MIN,
    max: AXIS_MAX,
    minLabel: {
      nl: 'Reactief: vanuit een direct probleem of urgentie',
      en: 'Reactive: starting from an immediate problem or urgency',
    },
    maxLabel: {
      nl: 'Proactief: vanuit belangen, kansen en ambities',
      en: 'Proactive: starting from interests, opportunities and ambitions',
    },
    zeroBelongsTo: 'max',
  },
];

export const QUADRANTS: readonly Quadrant[] = [
  {
    id: 'defensive',
    focus: 'organisation',
    stance: 'reactive',
    label: { nl: 'Defensief: tekorten opheffen', en: 'Defensive: remove shortages' },
    description: {
      nl: 'Leren en ontwikkelen zijn vooral een antwoord op een acuut tekort: aan mensen, kennis of vaardigheden die de organisatie nu nodig heeft.',
      en: 'Learning and development mainly answer an acute shortage: of people, knowledge or skills the organisation needs right now.',
    },
  },
  {
    id: 'offensive',
    focus: 'organisation',
    stance: 'proactive',
    label: {
      nl: 'Offensief: economische/ecologische groei bevorderen',
      en: 'Offensive: promote economic/ecological growth',
    },
    description: {
      nl: 'De organisatie investeert vooruitlopend in leren om kansen te benutten en bij te dragen aan economische en ecologische groei.',
      en: 'The organisation invests in learning ahead of need, to seize opportunities and contribute to economic and ecological growth.',
    },
  },
  {
    id: 'curative',
    focus: 'people',
    stance: 'reactive',
    label: { nl: 'Curatief: personen versterken', en: 'Curative: strengthen persons' },
    description: {
      nl: 'Ontwikkeling komt op gang wanneer een medewerker vastloopt of dreigt uit te vallen; het doel is de persoon weer sterker te maken.',
      en: 'Development starts when an employee gets stuck or risks dropping out; the aim is to make that person stronger again.',
    },
  },
  {
    id: 'preventive',
    focus: 'people',
    stance: 'proactive',
    label: { nl: 'Preventief: persoonlijke groei bevorderen', en: 'Preventive: promote personal growth' },
    description: {
      nl: 'Medewerkers ontwikkelen zich doorlopend vanuit hun eigen ambities en mogelijkheden, zodat ze duurzaam inzetbaar blijven voordat er een probleem is.',
      en: 'Employees keep developing from their own ambitions and possibilities, so they stay employable before any problem arises.',
    },
  },
];

export interface TimeFrameInfo {
  id: TimeFrame;
  label: LocalizedText;
  prompt: LocalizedText;
}

export const TIME_FRAME_INFO: readonly TimeFrameInfo[] = [
  {
    id: 'past',
    label: { nl: 'Verleden', en: 'Past' },
    prompt: {
      nl: 'Kies een kenmerkende periode uit het verleden en plaats de organisatie zoals die toen was.',
      en: 'Choose a characteristic period from the past and place the organisation as it was then.',
    },
  },
  {
    id: 'current',
    label: { nl: 'Huidige situatie', en: 'Current situation' },
    prompt: {
      nl: 'Plaats de organisatie zoals die nu is.',
      en: 'Place the organisation as it is now.',
    },
  },
  {
    id: 'desired',
    label: { nl: 'Gewenste situatie', en: 'Desired situation' },
    prompt: {
      nl: 'Plaats de organisatie waar u haar over enkele jaren wilt zien.',
      en: 'Place the organisation where you would like it to be in a few years.',
    },
  },
];

/**
 * The quadrant of a point. Points on an axis belong to the positive side: x = 0 counts as focus on
 * people, y = 0 counts as proactive, so the origin is in "preventive". Throws outside [-100, 100].
 */
export function quadrantOf(point: Point): QuadrantId {
  assertPoint(point);
  return quadrantOfXY(point.x, point.y);
}

/** quadrantOf for a position already checked (a loop over many points; no object per point). */
export function quadrantOfXY(x: number, y: number): QuadrantId {
  const people = x >= 0;
  const proactive = y >= 0;
  if (people) return proactive ? 'preventive' : 'curative';
  return proactive ? 'offensive' : 'defensive';
}

/** isValidPoint for a position as two numbers (NaN and infinities fail the range test). */
export function isValidXY(x: number, y: number): boolean {
  return x >= AXIS_MIN && x <= AXIS_MAX && y >= AXIS_MIN && y <= AXIS_MAX;
}

export function getQuadrant(id: QuadrantId): Quadrant {
  const q = QUADRANTS.find((quadrant) => quadrant.id === id);
  if (!q) throw new RangeError(`unknown quadrant ${id}`);
  return q;
}

export function isValidPoint(point: Point): boolean {
  return Number.isFinite(point.x) && Number.isFinite(point.y) && isValidXY(point.x, point.y);
}

export function assertPoint(point: Point): void {
  if (!isValidPoint(point)) {
    throw new RangeError(`placement must have x and y in [${AXIS_MIN}, ${AXIS_MAX}], got (${point.x}, ${point.y})`);
  }
}

/**
 * Position of a point in a drawing as in the source: organisation focus left, people right, reactive
 * at the top, proactive at the bottom. Returns fractions 0..1 from the left and from the top edge.
 */
export function drawingPosition(point: Point): { left: number; top: number } {
  assertPoint(point);
  return { left: (point.x - AXIS_MIN) / (AXIS_MAX - AXIS_MIN), top: (point.y - AXIS_MIN) / (AXIS_MAX - AXIS_MIN) };
}

export interface DialogueModelInstrument {
  id: typeof DIALOGUE_MODEL_ID;
  module: 'dialogue_model';
  version: 1;
  name: LocalizedText;
  description: LocalizedText;
  source: string;
  axes: Axis[];
  quadrants: Quadrant[];
  timeFrames: TimeFrameInfo[];
  /** How a point on an axis is assigned; mirrors quadrantOf. */
  axisRule: LocalizedText;
}

const DATA: DialogueModelInstrument = {
  id: DIALOGUE_MODEL_ID,
  module: 'dialogue_model',
  version: 1,
  name: { nl: 'LLO-dialoogmodel', en: 'LLO dialogue model' },
  description: {
    nl: 'Een gespreksinstrument over leven lang ontwikkelen. Deelnemers plaatsen de organisatie op twee assen (focus en houding) voor een kenmerkende periode uit het verleden, de huidige en de gewenste situatie. Het gesprek gaat over de route van verleden naar gewenst en over de plekken waar deelnemers het oneens zijn.',
    en: 'A dialogue tool about lifelong learning. Participants place the organisation on two axes (focus and stance) for a characteristic past period, the current and the desired situation. The conversation is about the route from past to desired and about where participants disagree.',
  },
  source: 'Mazereeuw, M. & Kuijpers, M. (2024). Leven Lang Ontwikkelen Dialoogmodel.',
  axes: [...AXES],
  quadrants: [...QUADRANTS],
  timeFrames: [...TIME_FRAME_INFO],
  axisRule: {
    nl: 'Een punt precies op een as telt mee aan de positieve kant: x = 0 valt onder "gericht op mensen", y = 0 onder "proactief". Het middelpunt (0, 0) valt dus in het kwadrant Preventief.',
    en: 'A point exactly on an axis counts on the positive side: x = 0 counts as "focus on people", y = 0 as "proactive". The centre (0, 0) therefore falls in the Preventive quadrant.',
  },
};

/** The dialogue model, validated at module load and frozen. */
export const DIALOGUE_MODEL: DialogueModelInstrument = deepFreeze(validateDialogueModel(DATA));

function validateDialogueModel(data: DialogueModelInstrument): DialogueModelInstrument {
  DialogueModelInstrumentSchema.parse(data);
  // The data and quadrantOf must agree on which quadrant lies where.
  for (const q of data.quadrants) {
    const x = q.focus === 'people' ? 50 : -50;
    const y = q.stance === 'proactive' ? 50 : -50;
    if (quadrantOf({ x, y }) !== q.id) throw new Error(`dialogue model: quadrant ${q.id} does not match quadrantOf`);
  }
  return data;
}
