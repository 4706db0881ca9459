import type { Style } from '../types.js';

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });
const LEVELS = 9;

/** Glyph symbols or types by nesting level (repeating), per preset (CreateParagraphBulletsRequest.bulletPreset). */
const PRESETS: Record<string, { symbols?: string[]; types?: string[]; format?: string }> = {
  BULLET_DISC_CIRCLE_SQUARE: { symbols: ['●', '○', '■'] },
  BULLET_DIAMONDX_ARROW3D_SQUARE: { symbols: ['❖', '➢', '■'] },
  BULLET_CHECKBOX: { symbols: ['☐'] },
  BULLET_ARROW_DIAMOND_DISC: { symbols: ['➔', '◆', '●'] },
  BULLET_STAR_CIRCLE_SQUARE: { symbols: ['★', '○', '■'] },
  BULLET_ARROW3D_CIRCLE_SQUARE: { symbols: ['➢', '○', '■'] },
  BULLET_LEFTTRIANGLE_DIAMOND_DISC: { symbols: ['◀', '◆', '●'] },
  BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE: { symbols: ['❖', '◇', '■'] },
  BULLET_DIAMOND_CIRCLE_SQUARE: { symbols: ['◆', '○', '■'] },
  NUMBERED_DECIMAL_ALPHA_ROMAN: { types: ['DECIMAL', 'ALPHA', 'ROMAN'], format: '%.' },
  NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS: { types: ['DECIMAL', 'ALPHA', 'ROMAN'], format: '%)' },
  NUMBERED_DECIMAL_NESTED: { types: ['DECIMAL'], format: 'nested' },
  NUMBERED_UPPERALPHA_ALPHA_ROMAN: { types: ['UPPER_ALPHA', 'ALPHA', 'ROMAN'], format: '%.' },
  NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL: { types: ['UPPER_ROMAN', 'UPPER_ALPHA', 'DECIMAL'], format: '%.' },
  NUMBERED_ZERODECIMAL_ALPHA_ROMAN: { types: ['ZERO_DECIMAL', 'ALPHA', 'ROMAN'], format: '%.' },
};

/** The indent Google gives a paragraph at a nesting level of a list: a half inch per level, the glyph a quarter inch in. */
const indentOf = (level: number): Style => ({ indentFirstLine: pt(18 + 36 * level), indentStart: pt(36 + 36 * level) });

/**
 * A new list's properties for a bullet preset (nine nesting levels, as Google makes them), and the paragraph indent of
 * each level.
 *
 * @example
 * bulletList('NUMBERED_DECIMAL_ALPHA_ROMAN').listProperties.nestingLevels[0].glyphType; // 'DECIMAL'
 */
export function bulletList(preset: string): { listProperties: Style; indent(level: number): Style } {
  const chosen = PRESETS[preset] ?? PRESETS.BULLET_DISC_CIRCLE_SQUARE;
  const nestingLevels = Array.from({ length: LEVELS }, (_, level) => {
    const common = { bulletAlignment: 'START', ...indentOf(level), textStyle: { underline: false }, startNumber: 1 };
    if (chosen.symbols) return { ...common, glyphSymbol: chosen.symbols[level % chosen.symbols.length], glyphFormat: `%${level}` };
    const glyphType = chosen.types![level % chosen.types!.length];
    const glyphFormat = chosen.format === 'nested' ? Array.from({ length: level + 1 }, (_, k) => `%${k}.`).join('') : chosen.format!.replace('%', `%${level}`);
    return { ...common, glyphType, glyphFormat };
  });
  return { listProperties: { nestingLevels }, indent: indentOf };
}
