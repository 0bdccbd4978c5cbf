/** One image tile for the windowed grid: thumbnail, a verdict border (right/wrong), caption lines and an optional confidence bar. */
import type { ReactNode } from 'react';

export type TileVerdict = 'correct' | 'wrong' | 'neutral';

export interface ImageTileProps {
  src: string | null;
  alt: string;
  verdict: TileVerdict;
  focused?: boolean;
  /** Greys the image out (a dropped sample) with this text over it. */
  overlay?: string | null;
  /** 0..1, drawn as a bar under the image; null = no bar (raw/constrained runs). */
  confidence?: number | null;
  children?: ReactNode;
  title?: string;
  onClick?: () => void;
  onDoubleClick?: () => void;
  testId?: string;
  data?: Record<`data-${string}`, string | number>;
}

export function ImageTile(props: ImageTileProps) {
  const { src, alt, verdict, focused, overlay, confidence } = props;
  return (
    <div
      className={`image-tile verdict-${verdict}${focused ? ' focused' : ''}${overlay ? ' greyed' : ''}`}
      data-testid={props.testId ?? 'image-tile'}
      data-verdict={verdict}
      title={props.title}
      onClick={props.onClick}
      onDoubleClick={props.onDoubleClick}
      {...props.data}
    >
      <div className="image-tile-img">
        {src ? <img src={src} alt={alt} loading="lazy" decoding="async" draggable={false} /> : <span className="muted small">removed</span>}
        {overlay ? <div className="image-tile-overlay">{overlay}</div> : null}
      </div>
      {confidence !== undefined && confidence !== null ? (
        <div className="image-tile-conf" title={`confidence ${(confidence * 100).toFixed(1)}%`} data-testid="tile-confidence" data-confidence={confidence}>
          <span style={{ width: `${Math.max(2, confidence * 100)}%` }} />
        </div>
      ) : null}
      <div className="image-tile-caption">{props.children}</div>
    </div>
  );
}

/** A placeholder while the tile's page loads. */
export function LoadingTile() {
  return <div className="image-tile loading" />;
}
