using OxyPlot;

namespace NoetherTheory.Reporting.Export;

/// <summary>One piece of text a plot model drew: its box (rotation included), the clip in force and its size, all in the
/// panel's device-independent units (1/96 inch).</summary>
/// <param name="Text">The text as drawn.</param>
/// <param name="Box">The axis-aligned box around the (possibly rotated) text.</param>
/// <param name="Clip">The clipping rectangle in force (intersection of the clip stack), or null for none.</param>
/// <param name="FontSize">The font size.</param>
internal sealed record DrawnText(string Text, OxyRect Box, OxyRect? Clip, double FontSize);

/// <summary>An OxyPlot render context that forwards every call to the real (Skia) context and records each piece of text
/// with the box the real context's own measurement gives it: the layout checks measure exactly what is drawn.</summary>
internal sealed class TextRecordingContext(IRenderContext inner) : IRenderContext
{
    private readonly Stack<OxyRect> _clips = new();

    public List<DrawnText> Texts { get; } = [];

    public bool RendersToScreen => inner.RendersToScreen;

    public int ClipCount => inner.ClipCount;

    public void DrawText(ScreenPoint p, string text, OxyColor fill, string? fontFamily = null, double fontSize = 10,
        double fontWeight = FontWeights.Normal, double rotation = 0, HorizontalAlignment horizontalAlignment = HorizontalAlignment.Left,
        VerticalAlignment verticalAlignment = VerticalAlignment.Top, OxySize? maxSize = null)
    {
        inner.DrawText(p, text, fill, fontFamily, fontSize, fontWeight, rotation, horizontalAlignment, verticalAlignment, maxSize);
        if (string.IsNullOrEmpty(text) || !fill.IsVisible())
            return;
        var size = inner.MeasureText(text, fontFamily, fontSize, fontWeight);
        double left = horizontalAlignment switch
        {
            HorizontalAlignment.Center => -size.Width / 2,
            HorizontalAlignment.Right => -size.Width,
            _ => 0,
        };
        double top = verticalAlignment switch
        {
            VerticalAlignment.Middle => -size.Height / 2,
            VerticalAlignment.Bottom => -size.Height,
            _ => 0,
        };
        double angle = rotation * Math.PI / 180, cos = Math.Cos(angle), sin = Math.Sin(angle);
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (x, y) in new[] { (left, top), (left + size.Width, top), (left, top + size.Height), (left + size.Width, top + size.Height) })
        {
            double rx = p.X + (x * cos) - (y * sin), ry = p.Y + (x * sin) + (y * cos);
            (minX, maxX, minY, maxY) = (Math.Min(minX, rx), Math.Max(maxX, rx), Math.Min(minY, ry), Math.Max(maxY, ry));
        }

        Texts.Add(new DrawnText(text, new OxyRect(minX, minY, maxX - minX, maxY - minY), _clips.Count > 0 ? _clips.Peek() : null, fontSize));
    }

    public OxySize MeasureText(string text, string? fontFamily = null, double fontSize = 10, double fontWeight = 500) =>
        inner.MeasureText(text, fontFamily, fontSize, fontWeight);

    public void PushClip(OxyRect clippingRectangle)
    {
        _clips.Push(_clips.Count > 0 ? Intersect(_clips.Peek(), clippingRectangle) : clippingRectangle);
        inner.PushClip(clippingRectangle);
    }

    public void PopClip()
    {
        _clips.Pop();
        inner.PopClip();
    }

    public void DrawEllipse(OxyRect extents, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode) =>
        inner.DrawEllipse(extents, fill, stroke, thickness, edgeRenderingMode);

    public void DrawEllipses(IList<OxyRect> extents, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode) =>
        inner.DrawEllipses(extents, fill, stroke, thickness, edgeRenderingMode);

    public void DrawLine(IList<ScreenPoint> points, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode,
        double[]? dashArray = null, LineJoin lineJoin = LineJoin.Miter) =>
        inner.DrawLine(points, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);

    public void DrawLineSegments(IList<ScreenPoint> points, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode,
        double[]? dashArray = null, LineJoin lineJoin = LineJoin.Miter) =>
        inner.DrawLineSegments(points, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);

    public void DrawPolygon(IList<ScreenPoint> points, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode,
        double[]? dashArray = null, LineJoin lineJoin = LineJoin.Miter) =>
        inner.DrawPolygon(points, fill, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);

    public void DrawPolygons(IList<IList<ScreenPoint>> polygons, OxyColor fill, OxyColor stroke, double thickness,
        EdgeRenderingMode edgeRenderingMode, double[]? dashArray = null, LineJoin lineJoin = LineJoin.Miter) =>
        inner.DrawPolygons(polygons, fill, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);

    public void DrawRectangle(OxyRect rectangle, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode) =>
        inner.DrawRectangle(rectangle, fill, stroke, thickness, edgeRenderingMode);

    public void DrawRectangles(IList<OxyRect> rectangles, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode) =>
        inner.DrawRectangles(rectangles, fill, stroke, thickness, edgeRenderingMode);

    public void SetToolTip(string text) => inner.SetToolTip(text);

    public void CleanUp() => inner.CleanUp();

    public void DrawImage(OxyImage source, double srcX, double srcY, double srcWidth, double srcHeight, double destX, double destY,
        double destWidth, double destHeight, double opacity, bool interpolate) =>
        inner.DrawImage(source, srcX, srcY, srcWidth, srcHeight, destX, destY, destWidth, destHeight, opacity, interpolate);

    private static OxyRect Intersect(OxyRect a, OxyRect b)
    {
        double left = Math.Max(a.Left, b.Left), top = Math.Max(a.Top, b.Top);
        double right = Math.Min(a.Right, b.Right), bottom = Math.Min(a.Bottom, b.Bottom);
        return new OxyRect(left, top, Math.Max(0, right - left), Math.Max(0, bottom - top));
    }
}
