import { ClearOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { type Ref, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useI18n } from '../../app/i18n';

const HEIGHT = 220;
const INK = '#1f1f1f';
/** CSS pixels; thick enough to read after the thumbnail shrinks it. */
const LINE_WIDTH = 2.5;
/** The exported PNG's width at most: a signature needs no more. */
const EXPORT_MAX_WIDTH = 900;

type Point = readonly [x: number, y: number];

export interface SignaturePadHandle {
  /** A PNG of the signature on white, or null when nothing is drawn. */
  toPng(): Promise<Blob | null>;
  clear(): void;
}

/**
 * The resident signs on the technician's phone with a finger (or a mouse at the desk): pointer
 * events on a full-width canvas, one stroke per touch. The strokes are kept in CSS pixels, so the
 * drawing survives a rotation or resize and is exported at any size. `onChange` says whether
 * anything is drawn and counts the changes (a new drawing needs a new upload).
 */
export function SignaturePad({
  ref,
  onChange,
  testId = 'signature-pad',
}: {
  ref?: Ref<SignaturePadHandle>;
  onChange?: (state: { empty: boolean; revision: number }) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  const drawing = useRef<{ pointerId: number; stroke: Point[] } | null>(null);
  const revision = useRef(0);
  const [empty, setEmpty] = useState(true);

  const changed = useCallback(() => {
    revision.current += 1;
    const isEmpty = strokes.current.length === 0;
    setEmpty(isEmpty);
    onChange?.({ empty: isEmpty, revision: revision.current });
  }, [onChange]);

  /** Draws every stroke again, at the canvas's current size and pixel ratio. */
  const redraw = useCallback(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const ratio = element.width / Math.max(1, element.clientWidth);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, element.clientWidth, HEIGHT);
    for (const stroke of strokes.current) drawStroke(context, stroke);
  }, []);

  // the canvas follows its box (rotation, drawer opening) at the device's pixel ratio
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const fitToBox = () => {
      const ratio = window.devicePixelRatio || 1;
      element.width = Math.round(element.clientWidth * ratio);
      element.height = Math.round(HEIGHT * ratio);
      redraw();
    };
    fitToBox();
    const observer = new ResizeObserver(fitToBox);
    observer.observe(element);
    return () => observer.disconnect();
  }, [redraw]);

  const pointOf = (event: React.PointerEvent<HTMLCanvasElement> | PointerEvent): Point => {
    const box = canvas.current!.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };

  const clear = useCallback(() => {
    strokes.current = [];
    drawing.current = null;
    redraw();
    changed();
  }, [redraw, changed]);

  useImperativeHandle(
    ref,
    () => ({
      clear,
      toPng: async () => {
        const element = canvas.current;
        if (!element || strokes.current.length === 0) return null;
        const scale = Math.min(1, EXPORT_MAX_WIDTH / Math.max(1, element.clientWidth)) * 2;
        const out = document.createElement('canvas');
        out.width = Math.round(element.clientWidth * scale);
        out.height = Math.round(HEIGHT * scale);
        const context = out.getContext('2d');
        if (!context) return null;
        // white, not transparent: the thumbnail and a printed report show ink on paper
        context.fillStyle = '#fff';
        context.fillRect(0, 0, out.width, out.height);
        context.setTransform(scale, 0, 0, scale, 0, 0);
        for (const stroke of strokes.current) drawStroke(context, stroke);
        return new Promise<Blob | null>((done) => out.toBlob(done, 'image/png'));
      },
    }),
    [clear],
  );

  const onPointerDown = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (drawing.current || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const stroke: Point[] = [pointOf(event)];
    drawing.current = { pointerId: event.pointerId, stroke };
    strokes.current.push(stroke);
    redraw();
  };

  const onPointerMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const current = drawing.current;
    if (!current || current.pointerId !== event.pointerId) return;
    // a fast finger sends several points per frame: keep them all for a smooth line
    const events = event.nativeEvent.getCoalescedEvents?.() ?? [];
    for (const each of events.length > 0 ? events : [event.nativeEvent]) current.stroke.push(pointOf(each));
    redraw();
  };

  const onPointerEnd = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (drawing.current?.pointerId !== event.pointerId) return;
    drawing.current = null;
    changed();
  };

  return (
    <Flex vertical gap={8}>
      <div
        style={{ position: 'relative', border: '2px dashed #bfbfbf', borderRadius: 8, overflow: 'hidden' }}
      >
        <canvas
          ref={canvas}
          role="img"
          aria-label={t('jobs.signature.area')}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
          style={{
            display: 'block',
            width: '100%',
            height: HEIGHT,
            // the finger draws instead of scrolling the page
            touchAction: 'none',
            background: '#fff',
            cursor: 'crosshair',
          }}
          data-testid={testId}
        />
        {empty ? (
          <Typography.Text
            type="secondary"
            style={{
              position: 'absolute',
              inset: 0,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              fontSize: 18,
              pointerEvents: 'none',
            }}
          >
            {t('jobs.signature.signHere')}
          </Typography.Text>
        ) : null}
      </div>
      <Button
        size="large"
        icon={<ClearOutlined />}
        onClick={clear}
        disabled={empty}
        style={{ height: 48 }}
        data-testid={`${testId}-clear`}
      >
        {t('jobs.signature.clear')}
      </Button>
    </Flex>
  );
}

/** One stroke as a smooth line through the midpoints; a tap is a dot. */
function drawStroke(context: CanvasRenderingContext2D, stroke: readonly Point[]) {
  const first = stroke[0];
  if (!first) return;
  context.strokeStyle = INK;
  context.fillStyle = INK;
  context.lineWidth = LINE_WIDTH;
  context.lineCap = 'round';
  context.lineJoin = 'round';
  if (stroke.length === 1) {
    context.beginPath();
    context.arc(first[0], first[1], LINE_WIDTH / 2, 0, Math.PI * 2);
    context.fill();
    return;
  }
  context.beginPath();
  context.moveTo(first[0], first[1]);
  for (let i = 1; i < stroke.length - 1; i++) {
    const [x, y] = stroke[i]!;
    const [nx, ny] = stroke[i + 1]!;
    context.quadraticCurveTo(x, y, (x + nx) / 2, (y + ny) / 2);
  }
  const last = stroke[stroke.length - 1]!;
  context.lineTo(last[0], last[1]);
  context.stroke();
}
